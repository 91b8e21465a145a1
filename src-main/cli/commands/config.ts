import { loadCatalogue } from '../../devices/catalogue.js';
import { deviceFromModel } from '../../devices/instantiate.js';
import { loadLibrary } from '../../devices/library.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { int, OperationError, parse, type Io } from '../args.js';
import { addFromScanFile } from './add-from-scan.js';
import { isSunSpecId } from '../../drivers/sunspec-model.js';
import { openTarget, parseTarget, TARGET_OPTIONS } from './modbus-target.js';

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
    { ...TARGET_OPTIONS, label: { type: 'string' }, db: { type: 'string' } },
    ADD_USAGE,
  );
  let { model, connection } = parseTarget(loadLibrary(), values);
  if (isSunSpecId(model.id)) {
    // The signals of a SunSpec device follow from its model chain: read it once now.
    const t = await openTarget(loadLibrary(), values);
    await t.bus.close();
    ({ model, connection } = t);
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
