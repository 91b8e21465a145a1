import { writeTarget } from '../../commissioning/write-journal.js';
import type { DeviceLibrary } from '../../devices/library.js';
import type { ConfigWriteEntry } from '../../store/config-writes-repo.js';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import type { Io, Parsed } from '../args.js';
import { newBus, parseTarget } from './modbus-target.js';

const INTERRUPTED =
  'unknown: reached the meter or not — the job was interrupted while sending it; the next job on this meter reads it and settles this entry';

/** One audit entry in words; a write whose arrival is not known says so first. */
function describe(e: ConfigWriteEntry): string {
  const what =
    e.outcome === 'pending'
      ? INTERRUPTED
      : e.outcome === 'unknown'
        ? `unknown: reached the meter or not — ${e.message ?? ''}`
        : `${e.outcome}${e.message ? `: ${e.message}` : ''}`;
  const back = e.readback === null ? '' : ` (reads ${e.readback})`;
  return `${new Date(e.t).toISOString()}  ${e.who}  ${e.key} ${e.old ?? '?'} → ${e.new ?? '?'}${back}  ${what}`;
}

/**
 * `configure --log`: the audit log of setting writes to one meter, oldest first, without talking to
 * it (so it works when the meter or its adapter is gone).
 */
export function showLog(io: Io, library: DeviceLibrary, values: Parsed['values']): number {
  const { unit, connection, timeoutMs } = parseTarget(library, values);
  const target = writeTarget(newBus(connection, timeoutMs).endpoint, unit);
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    const log = store.configWrites.list({ target }).reverse();
    if (values.json) {
      io.out(JSON.stringify({ target, entries: log }, null, 2));
      return 0;
    }
    io.out(log.length ? `Setting writes to ${target}:` : `No setting writes to ${target} in this database.`);
    for (const e of log) io.out(`  ${describe(e)}`);
    const open = log.filter((e) => e.outcome === 'pending' || e.outcome === 'unknown').length;
    if (open) io.out(`${open} write(s) of unknown arrival: run the same job again to settle them.`);
    return 0;
  } finally {
    store.close();
  }
}
