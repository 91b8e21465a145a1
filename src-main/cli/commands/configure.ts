import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import { configDescriptors } from '../../commissioning/config-fields.js';
import { readConfig, type ConfigReading } from '../../commissioning/config-read.js';
import { MainMeterError, setMainMeter, type MainMeterChange } from '../../commissioning/main-meter.js';
import { ConfigValueError, parseAssignment } from '../../commissioning/config-values.js';
import { writeConfig, type WriteReport } from '../../commissioning/config-write.js';
import { storeJournal } from '../../commissioning/write-journal.js';
import { loadLibrary, type DeviceLibrary } from '../../devices/library.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { int, OperationError, parse, UsageError, type Io, type Parsed } from '../args.js';
import { showLog } from './configure-log.js';
import { openTarget, parseTarget, requireModel, TARGET_OPTIONS, TARGET_USAGE } from './modbus-target.js';

const USAGE = `ems-commissioner configure ${TARGET_USAGE} [--set key=value … [--who NAME] | --log | --main | --not-main] [--db FILE] [--json]
       ems-commissioner configure --load LID (--main | --not-main) [--db FILE] [--json]`;

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
      main: { type: 'boolean' },
      'not-main': { type: 'boolean' },
      load: { type: 'string' },
    },
    USAGE,
  );
  const library = loadLibrary();
  if (values.main === true || values['not-main'] === true || values.load !== undefined)
    return chooseMain(io, library, values);
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
      const read = await readConfig(t);
      rememberRead(values, t.connection, read);
      const readings = new Map(read.map((r) => [r.key, r]));
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
      if (at) {
        const back: Record<string, number> = {};
        for (const r of report.results) if (typeof r.readBack === 'number') back[r.key] = r.readBack;
        store.meterSettings.recordReadBack(at.did, back);
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

/** A configured device's meter settings as read now are its last configuration read (the Web API shows them). */
function rememberRead(
  values: Parsed['values'],
  c: RtuConnection | TcpConnection,
  readings: readonly ConfigReading[],
): void {
  const file = typeof values.db === 'string' ? values.db : defaultDbFile();
  // Only an existing database: reading a meter does not create one.
  if (!existsSync(file) || !readings.some((r) => r.value !== null)) return;
  const store = new Store({ file });
  try {
    const at = configuredAt(store, c);
    if (at) store.meterSettings.recordRead(at.did, Object.fromEntries(readings.map((r) => [r.key, r.value])));
  } finally {
    store.close();
  }
}

/**
 * --main / --not-main: the site's main (grid) meter, chosen by load uid (--load) or by the meter's
 * connection (its configured device's first load). One main per site: a new main clears the old.
 */
function chooseMain(io: Io, library: DeviceLibrary, values: Parsed['values']): number {
  const on = values.main === true;
  if (on === (values['not-main'] === true))
    throw new UsageError(`give one of --main or --not-main\nusage: ${USAGE}`);
  if ((values as Record<string, unknown>).set !== undefined || values.log === true)
    throw new UsageError('--main and --not-main go without --set and --log');
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    let lid: number;
    if (values.load !== undefined) lid = int(values.load, 'load', 1, 2 ** 31 - 1);
    else {
      const spec = parseTarget(library, values);
      const at = configuredAt(store, spec.connection);
      if (!at)
        throw new OperationError(
          `no configured device of model ${spec.model.id} at unit ${spec.unit} of that connection; add it first or name its load with --load`,
        );
      lid = at.lid;
    }
    let change: MainMeterChange;
    try {
      change = setMainMeter(store, library, lid, on);
    } catch (e) {
      if (e instanceof MainMeterError)
        throw e.code === 'not-found' ? new UsageError(e.message) : new OperationError(e.message);
      throw e;
    }
    if (values.json) io.out(JSON.stringify({ load: lid, ...change }, null, 2));
    else if (on)
      io.out(
        change.previous !== null && change.previous !== lid
          ? `load ${lid} is now the site's main meter (load ${change.previous} no longer is)`
          : `load ${lid} is the site's main meter`,
      );
    else
      io.out(
        change.previous === lid
          ? `load ${lid} is no longer the site's main meter; the site has no main meter now`
          : `load ${lid} was not the site's main meter; nothing changed`,
      );
    return 0;
  } finally {
    store.close();
  }
}
