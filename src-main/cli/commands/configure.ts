import { userInfo } from 'node:os';
import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import { configDescriptors } from '../../commissioning/config-fields.js';
import { readConfig } from '../../commissioning/config-read.js';
import { ConfigValueError, parseAssignment } from '../../commissioning/config-values.js';
import { writeConfig, type WriteReport } from '../../commissioning/config-write.js';
import { storeJournal } from '../../commissioning/write-journal.js';
import { loadLibrary } from '../../devices/library.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { OperationError, parse, UsageError, type Io } from '../args.js';
import { showLog } from './configure-log.js';
import { openTarget, requireModel, TARGET_OPTIONS, TARGET_USAGE } from './modbus-target.js';

const USAGE = `ems-commissioner configure ${TARGET_USAGE} [--set key=value … [--who NAME] | --log] [--db FILE] [--json]`;

/** The configured device (and its first load) at this connection, so the write log can name them. */
function configuredAt(
  store: Store,
  c: RtuConnection | TcpConnection,
): { did: number; lid: number } | undefined {
  for (const d of store.config.devices()) {
    const dc = d.connection as Partial<RtuConnection & TcpConnection>;
    const same =
      'host' in c
        ? dc.host === c.host && dc.port === c.port && dc.unit === c.unit
        : dc.port === c.port && dc.unit === c.unit && dc.host === undefined;
    if (!same || d.model !== c.model) continue;
    const lid = store.config.loads({ did: d.uid })[0]?.uid;
    if (lid !== undefined) return { did: d.uid, lid };
  }
  return undefined;
}

function printReport(io: Io, r: WriteReport): void {
  for (const e of r.resolved)
    io.out(
      `  earlier: ${e.key} = ${e.requested} (${new Date(e.t).toISOString()}, ${e.who}) was interrupted; the meter holds ${e.readBack}: ${e.reached ? 'it reached the meter' : 'it did not reach the meter'}`,
    );
  for (const x of r.results)
    io.out(
      `  ${x.key.padEnd(26)} ${String(x.old ?? '?').padStart(8)} → ${String(x.requested).padEnd(8)} ${x.outcome.padEnd(10)} ${x.message}`,
    );
  io.out(r.message);
}

/**
 * Reads a meter's settings (no --set), or writes them: values checked against the model first,
 * written in order, read back, and every write logged in the store with who did it.
 */
export async function configure(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...TARGET_OPTIONS,
      set: { type: 'string', multiple: true },
      who: { type: 'string' },
      log: { type: 'boolean' },
      db: { type: 'string' },
    },
    USAGE,
  );
  const library = loadLibrary();
  const model = requireModel(library, values.model);
  const sets = (values as Record<string, unknown>).set as string[] | undefined;
  if (values.log === true) {
    if (sets?.length) throw new UsageError('--log shows the audit log; it does not go with --set');
    return showLog(io, library, values);
  }
  const wanted: Record<string, number> = {};
  try {
    for (const s of sets ?? []) {
      const [k, v] = parseAssignment(model, s);
      wanted[k] = v;
    }
  } catch (e) {
    if (e instanceof ConfigValueError) throw new UsageError(e.message);
    throw e;
  }
  if (sets?.length && !model.config?.length)
    throw new UsageError(`the ${model.name} has no settings in the device library`);
  const t = await openTarget(library, values);
  try {
    if (!sets?.length) {
      const readings = new Map((await readConfig(t)).map((r) => [r.key, r]));
      const fields = configDescriptors(t.model).map((d) => ({ ...d, ...readings.get(d.key) }));
      if (values.json)
        io.out(JSON.stringify({ model: model.id, endpoint: t.bus.endpoint, unit: t.unit, fields }, null, 2));
      else {
        io.out(`${model.vendor} ${model.name}, unit ${t.unit} on ${t.bus.endpoint}:`);
        for (const f of fields) {
          const v =
            f.value === null || f.value === undefined
              ? `(${f.error ?? 'not read'})`
              : `${f.value}${f.unit ? ` ${f.unit}` : ''}${f.choice ? ` = ${f.choice}` : ''}`;
          io.out(`  ${f.key.padEnd(26)} ${v}`);
        }
      }
      return 0;
    }
    const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
    try {
      const at = configuredAt(store, t.connection);
      const who = typeof values.who === 'string' ? values.who : `cli:${userInfo().username}`;
      let report: WriteReport;
      try {
        report = await writeConfig(
          t,
          wanted,
          storeJournal(store.configWrites, t, { who, did: at?.did ?? null, lid: at?.lid ?? null }),
        );
      } catch (e) {
        if (e instanceof ConfigValueError) throw new UsageError(e.message);
        throw e;
      }
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else printReport(io, report);
      if (!report.ok) throw new OperationError(report.message);
      return 0;
    } finally {
      store.close();
    }
  } finally {
    await t.bus.close();
  }
}
