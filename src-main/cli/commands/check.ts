import type { LoadType, SystemType } from '../../../src-preload/contract/domain.js';
import { checkMeter, type CheckReport } from '../../commissioning/check-device.js';
import { CommissioningError } from '../../commissioning/service.js';
import { loadLibrary } from '../../devices/library.js';
import { Engine } from '../../engine.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { int, oneOf, OperationError, parse, UsageError, type Io } from '../args.js';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './modbus-target.js';

const USAGE =
  'ems-commissioner check UID [--db FILE] [--json]\n' +
  `       ems-commissioner check ${TARGET_USAGE} [--system 3P.N|3P|2P|1P] [--load consumption|production|bidirectional] [--json]`;

const LOAD_TYPES = { consumption: 0, production: 1, bidirectional: 2 } as const satisfies Record<
  string,
  LoadType
>;

function print(io: Io, r: CheckReport): void {
  io.out(r.summary);
  for (const f of r.findings) {
    io.out(`  ${f.severity.toUpperCase()}${f.phase ? ` L${f.phase}` : ''}: ${f.message}`);
    io.out(`    → ${f.fix}`);
  }
  if (r.unsupported.length) io.out(`  not supported by this meter: ${r.unsupported.join(', ')}`);
}

/**
 * Reads a meter and compares what it says about its own wiring with the configuration: a configured
 * device by uid, or a meter given by connection. Exit 1 when a problem (not only a warning) is found.
 */
export async function check(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...TARGET_OPTIONS, system: { type: 'string' }, load: { type: 'string' }, db: { type: 'string' } },
    USAGE,
  );
  let report: CheckReport;
  if (positionals[0] !== undefined) {
    const uid = int(positionals[0], 'UID', 1, Number.MAX_SAFE_INTEGER);
    const engine = new Engine({
      dbFile: typeof values.db === 'string' ? values.db : defaultDbFile(),
      poll: false,
    });
    try {
      report = await engine.checkDevice(uid);
    } catch (e) {
      if (e instanceof CommissioningError) throw new OperationError(e.message);
      throw e;
    } finally {
      await engine.close();
    }
  } else {
    if (values.model === undefined) throw new UsageError(`give a device UID or --model …\nusage: ${USAGE}`);
    const system = oneOf(
      values.system,
      'system',
      ['3P.N', '3P', '2P', '1P'] as const satisfies readonly SystemType[],
      '3P.N',
    );
    const load = oneOf(
      values.load,
      'load',
      ['consumption', 'production', 'bidirectional'] as const,
      'consumption',
    );
    const t = await openTarget(loadLibrary(), values);
    try {
      report = await checkMeter(t, { system, loadType: LOAD_TYPES[load] });
    } finally {
      await t.bus.close();
    }
  }
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else print(io, report);
  if (!report.ok)
    throw new OperationError(
      `${report.findings.filter((f) => f.severity === 'error').length} problem(s) found`,
    );
  return 0;
}
