import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import { loadCatalogue } from '../../devices/catalogue.js';
import { deviceFromModel } from '../../devices/instantiate.js';
import { loadLibrary } from '../../devices/library.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { int, oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';
import { addFromScanFile } from './add-from-scan.js';

const ADD_USAGE =
  'ems-commissioner add --model MODEL (--port PATH [--baud B] [--parity P] | --host H [--port N] [--rtu-over-tcp]) --unit U [--label TEXT] [--db FILE]';

export async function list(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { db: { type: 'string' } }, 'ems-commissioner list [--db FILE] [--json]');
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    const tree = store.config.tree();
    if (values.json) {
      io.out(JSON.stringify(tree, null, 2));
      return 0;
    }
    if (!tree.length)
      io.out('No devices configured. Add one with `ems-commissioner add` or run `serve --demo`.');
    for (const d of tree) {
      io.out(
        `device ${d.uid}  ${d.label}  [${d.protocol}${d.model ? ` ${d.model}` : ''}, ${d.partNumber}, ${d.system}]${d.enable ? '' : ' (disabled)'}`,
      );
      for (const l of d.loads) {
        io.out(
          `  load ${l.uid}  ${l.label}  index ${l.index}, type ${l.type}, uuid ${l.uuid}${l.enable ? '' : ' (disabled)'}`,
        );
        for (const s of l.signals)
          io.out(
            `    signal ${s.uid}  si ${s.si}  ${s.key}${s.unit ? ` [${s.unit}]` : ''}${s.enable ? '' : ' (disabled)'}`,
          );
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

export async function add(argv: string[], io: Io): Promise<number> {
  if (argv.some((x) => x === '--from-scan' || x.startsWith('--from-scan='))) return addFromScanFile(argv, io);
  const { values } = parse(
    argv,
    {
      model: { type: 'string' },
      port: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      stopbits: { type: 'string' },
      host: { type: 'string' },
      unit: { type: 'string' },
      label: { type: 'string' },
      'rtu-over-tcp': { type: 'boolean' },
      db: { type: 'string' },
    },
    ADD_USAGE,
  );
  const library = loadLibrary();
  const modelId = str(values.model, 'model');
  const model = library.get(modelId);
  if (!model)
    throw new UsageError(`unknown model "${modelId}"; known: ${library.all.map((m) => m.id).join(', ')}`);
  const unit = int(values.unit, 'unit', 1, 247);
  let connection: RtuConnection | TcpConnection;
  if (typeof values.host === 'string') {
    connection = {
      host: values.host,
      port: values.port === undefined ? 502 : int(values.port, 'port', 1, 65535),
      unit,
      model: model.id,
      ...(values['rtu-over-tcp'] ? { rtuOverTcp: true } : {}),
    };
  } else {
    connection = {
      port: str(values.port, 'port'),
      baud:
        values.baud === undefined
          ? (model.serialDefaults?.baud ?? 9600)
          : int(values.baud, 'baud', 300, 921_600),
      parity: oneOf(
        values.parity,
        'parity',
        ['none', 'even', 'odd'] as const,
        model.serialDefaults?.parity ?? 'none',
      ),
      stopBits: values.stopbits === undefined ? 1 : (int(values.stopbits, 'stopbits', 1, 2) as 1 | 2),
      unit,
      model: model.id,
    };
  }
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    const label = typeof values.label === 'string' ? values.label : undefined;
    const tree = store.config.addDevice(deviceFromModel(model, connection, loadCatalogue(), { label }));
    const nSignals = tree.loads.reduce((n, l) => n + l.signals.length, 0);
    io.out(
      values.json
        ? JSON.stringify(tree)
        : `added device ${tree.uid} "${tree.label}" with ${tree.loads.length} load(s), ${nSignals} signals`,
    );
    return 0;
  } finally {
    store.close();
  }
}

export async function remove(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { db: { type: 'string' } },
    'ems-commissioner remove UID [--db FILE]',
  );
  const uid = int(positionals[0], 'UID', 1, Number.MAX_SAFE_INTEGER);
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    if (!store.config.removeDevice(uid)) throw new OperationError(`no device with uid ${uid}`);
    io.out(`removed device ${uid}`);
    return 0;
  } finally {
    store.close();
  }
}
