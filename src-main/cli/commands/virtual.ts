import { Engine } from '../../engine.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { formulasOf } from '../../virtual/virtual-config.js';
import { VirtualValidationError, type VirtualSignalSpec } from '../../virtual/validate.js';
import { int, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner virtual add --label TEXT --signal KEY=FORMULA [--signal KEY=FORMULA …] [--poll-ms N] [--db FILE]\n' +
  '  e.g. --signal "active_power=s12 - s40"   (KEY from the signal catalogue; s123 or {123} is signal uid 123)';

/** `--signal` values ("key=formula", repeatable) → specs; the first "=" separates key and formula. */
export function parseSignalOptions(raw: unknown): VirtualSignalSpec[] {
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!list.length) throw new UsageError(`--signal KEY=FORMULA is required\nusage: ${USAGE}`);
  return list.map((item) => {
    const text = String(item);
    const eq = text.indexOf('=');
    const key = eq < 0 ? '' : text.slice(0, eq).trim();
    const formula = eq < 0 ? '' : text.slice(eq + 1).trim();
    if (!key || !formula)
      throw new UsageError(`--signal "${text}" must look like KEY=FORMULA, e.g. active_power=s12-s40`);
    return { key, formula };
  });
}

export async function virtual(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      label: { type: 'string' },
      signal: { type: 'string', multiple: true },
      'poll-ms': { type: 'string' },
      db: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) {
    io.out(`usage: ${USAGE}`);
    return 0;
  }
  if (positionals[0] !== 'add')
    throw new UsageError(
      `${positionals[0] === undefined ? 'missing' : `unknown action "${positionals[0]}", expected`} "add"\nusage: ${USAGE}`,
    );
  const label = str(values.label, 'label');
  // parseArgs returns string[] for a `multiple` option; Parsed types every value as a scalar.
  const signals = parseSignalOptions(values.signal as unknown);
  const pollMs =
    values['poll-ms'] === undefined ? undefined : int(values['poll-ms'], 'poll-ms', 100, 3_600_000);
  const engine = new Engine({
    dbFile: typeof values.db === 'string' ? values.db : defaultDbFile(),
    poll: false,
  });
  try {
    const tree = engine.addVirtualDevice({ label, signals, pollMs });
    const load = tree.loads[0]!;
    if (values.json) io.out(JSON.stringify(tree));
    else {
      io.out(`added virtual device ${tree.uid} "${tree.label}", load ${load.uid}`);
      const formulas = formulasOf(load.settings);
      for (const s of load.signals)
        io.out(
          `  signal ${s.uid}  ${s.key}${s.unit ? ` [${s.unit}]` : ''}${s.kind === 'counter' ? ' counter' : ''} = ${formulas.get(s.key) ?? ''}`,
        );
    }
    return 0;
  } catch (err) {
    if (err instanceof VirtualValidationError) throw new UsageError(err.message);
    throw err;
  } finally {
    await engine.close();
  }
}
