import { readFileSync } from 'node:fs';
import { AddFromScanError, newDeviceFromScan, readScanFile } from '../../commissioning/add-from-scan.js';
import { loadCatalogue } from '../../devices/catalogue.js';
import { loadLibrary } from '../../devices/library.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { int, intList, oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner add --from-scan FILE.json [--units 2,5] [--label TEXT] [--load consumption|production|bidirectional] [--poll-ms N] [--db FILE] [--json]';

const LOAD_TYPES = { consumption: 0, production: 1, bidirectional: 2 } as const;

/**
 * Adds the meters of a `scan --json` file to the configuration: every identified meter, or those at
 * --units. Devices that are not identified meters are listed and left out.
 */
export async function addFromScanFile(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      'from-scan': { type: 'string' },
      units: { type: 'string' },
      label: { type: 'string' },
      load: { type: 'string' },
      'poll-ms': { type: 'string' },
      db: { type: 'string' },
    },
    USAGE,
  );
  const file = str(values['from-scan'], 'from-scan');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OperationError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let found;
  try {
    found = readScanFile(text, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const units =
    typeof values.units === 'string' ? new Set(intList(values.units, 'units', 0, 255)) : undefined;
  const chosen = found.filter((d) => (units ? units.has(d.connection.unit) : d.kind === 'meter'));
  if (!chosen.length)
    throw new OperationError(`${file} holds no ${units ? 'device at those unit ids' : 'identified meter'}`);
  const loadType =
    LOAD_TYPES[
      oneOf(values.load, 'load', ['consumption', 'production', 'bidirectional'] as const, 'consumption')
    ];
  const label = typeof values.label === 'string' ? values.label : undefined;
  // Poll period per device: 100 ms (sub-second samples) to an hour; 1000 ms when not given.
  const pollMs =
    values['poll-ms'] === undefined ? undefined : int(values['poll-ms'], 'poll-ms', 100, 3_600_000);
  const library = loadLibrary();
  const catalogue = loadCatalogue();
  // Check every chosen entry before adding any, so a bad one does not leave half a configuration.
  const plans = chosen.map((d) => {
    try {
      return newDeviceFromScan(d, library, catalogue, {
        label: chosen.length === 1 ? label : undefined,
        loadType,
        pollMs,
      });
    } catch (e) {
      if (e instanceof AddFromScanError) throw new OperationError(e.message);
      throw e;
    }
  });
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    const added = plans.map((p) => store.config.addDevice(p));
    if (values.json) io.out(JSON.stringify(added, null, 2));
    else
      for (const t of added)
        io.out(
          `added device ${t.uid} "${t.label}" (${t.model}, ${t.system}) with ${t.loads.length} load(s), ${t.loads.reduce((n, l) => n + l.signals.length, 0)} signals`,
        );
    const skipped = units ? [] : found.filter((d) => d.kind !== 'meter');
    for (const d of skipped)
      io.err(`left out unit ${d.connection.unit}: ${d.kind}${d.note ? ` (${d.note})` : ''}`);
    return 0;
  } finally {
    store.close();
  }
}
