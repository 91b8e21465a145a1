import type { ModbusBus } from '../../bus/modbus-bus.js';
import type { MonitorFrame } from '../../bus/monitor.js';
import { loadLibrary } from '../../devices/library.js';
import { ModbusDriver } from '../../drivers/modbus-driver.js';
import { describeFrame } from '../../ipc/monitor-describe.js';
import { int, parse, type Io } from '../args.js';
import { openTarget, TARGET_OPTIONS, TARGET_USAGE } from './modbus-target.js';

const USAGE = `ems-commissioner monitor ${TARGET_USAGE} [--interval MS] [--count N] [--json]`;

function clock(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** One frame as a line: time, direction, unit, decoded function, duration, outcome, raw hex. */
export function formatFrame(f: MonitorFrame, bus: Pick<ModbusBus, 'framing'>): string {
  const dir = f.dir === 'none' ? '--' : f.dir;
  const ms = f.durationMs !== undefined ? `${f.durationMs.toFixed(1)} ms` : '';
  const outcome = f.outcome
    ? `${f.outcome}${f.exceptionCode !== undefined ? ` ${f.exceptionCode}` : ''}`
    : '';
  return [
    clock(f.t),
    dir.padEnd(2),
    `unit ${String(f.unit).padStart(3)}`,
    describeFrame(f, bus.framing).padEnd(44),
    ms.padStart(9),
    outcome.padEnd(11),
    f.hex,
    f.note ? `(${f.note})` : '',
  ]
    .join('  ')
    .trimEnd();
}

/** Prints every frame of a bus as it happens (text lines, or one JSON object per line). */
export function printFrames(bus: ModbusBus, write: (line: string) => void, json: boolean): () => void {
  const on = (f: MonitorFrame): void => write(json ? JSON.stringify(f) : formatFrame(f, bus));
  bus.monitor.on('frame', on);
  return () => bus.monitor.off('frame', on);
}

export function statsLines(bus: ModbusBus): string[] {
  return [...bus.monitor.stats.entries()].map(
    ([unit, s]) =>
      `unit ${unit}: ${s.requests} requests, ${s.errors} errors (${s.timeouts} timeouts, ${s.crcErrors} CRC, ${s.exceptions} exceptions, ${s.wrongUnit} wrong unit, ${s.garbage} garbage), mean ${s.meanMs.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms`,
  );
}

/**
 * Polls one meter with its model's driver and prints every request and reply on the bus: the bus
 * monitor on the command line. Ends after --count cycles or on Ctrl-C, with per-unit statistics.
 */
export async function monitor(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    { ...TARGET_OPTIONS, interval: { type: 'string' }, count: { type: 'string' } },
    USAGE,
  );
  const intervalMs = values.interval === undefined ? 1000 : int(values.interval, 'interval', 0, 3_600_000);
  const count = values.count === undefined ? Infinity : int(values.count, 'count', 1, 1_000_000);
  const t = await openTarget(loadLibrary(), values);
  const json = values.json === true;
  const stop = printFrames(t.bus, (l) => io.out(l), json);
  const abort = new AbortController();
  const onSig = (): void => abort.abort();
  process.once('SIGINT', onSig);
  try {
    const driver = new ModbusDriver(t.bus, t.model, t.unit);
    for (let i = 0; i < count && !abort.signal.aborted; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, intervalMs));
      if (abort.signal.aborted) break;
      await driver.read(abort.signal);
    }
  } finally {
    process.off('SIGINT', onSig);
    stop();
    await t.bus.close();
  }
  if (json)
    io.out(JSON.stringify({ stats: Object.fromEntries(t.bus.monitor.stats), endpoint: t.bus.endpoint }));
  else for (const l of [`statistics for ${t.bus.endpoint}:`, ...statsLines(t.bus)]) io.err(l);
  return 0;
}
