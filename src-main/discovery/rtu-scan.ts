import { ModbusError } from '../bus/errors.js';
import { ModbusBus } from '../bus/modbus-bus.js';
import type { DeviceLibrary } from '../devices/library.js';
import { SerialTransport } from '../transport/serial.js';
import type { Parity } from '../transport/transport.js';
import { describeUnit, idGroups, readId, type IdGroup } from './identify.js';
import { LateReplies } from './late-replies.js';
import { flagEchoes } from './plausibility.js';
import {
  adaptiveProbeTimeoutMs,
  DEFAULT_BAUDS,
  DEFAULT_PARITIES,
  orderBauds,
  orderParities,
  orderUnits,
  replyStartMs,
  serialLabel,
  silentUnitTimeoutMs,
} from './scan-order.js';
import type { FoundDevice, IdRead, RtuPosition, ScanHooks, ScanReport } from './scan-types.js';

export interface RtuScanOptions {
  port: string;
  bauds?: readonly number[];
  parities?: readonly Parity[];
  /** Stop bits to try (default 1 only: a receiver set to 1 also reads a sender's 2). */
  stopBits?: readonly (1 | 2)[];
  units?: readonly number[];
  /** Added to the wire time of a probe for the adapter's buffering and the slave's turnaround, ms. */
  marginMs?: number;
  /**
   * How long past the 3.5-character silence a silent id is given to start its reply, ms. A meter
   * slower than this is still found: its late reply is heard during the next probe and it is asked again.
   */
  replyStartMarginMs?: number;
  /** How long a unit that answered late (or garbled) is waited for when asked again, ms. */
  patientTimeoutMs?: number;
  /** Broadcast frames before each baud rate so auto-baud meters lock on (default on). */
  wakeUp?: boolean;
}

export class ScanError extends Error {
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`scan of ${where}: ${reason}`);
    this.name = 'ScanError';
  }
}

const DEFAULT_MARGIN_MS = 20;
/** Per silent id this is what a scan spends beyond the wire time (issue 14 allows 20 ms). */
const REPLY_START_MARGIN_MS = 10;
const PATIENT_TIMEOUT_MS = 1000;
/** The slowest answer seen raises the probe timeout up to this, never further. */
const PROBE_CEILING_MS = 250;
/** How long a pass waits after its last probe for late replies, at least. */
const STRAGGLER_WAIT_MS = 100;
/** Diagnostics "return query data" to unit 0: changes nothing in any meter, but puts bytes on the line. */
const WAKE_UP_PDU = Buffer.from([8, 0, 0, 0, 0]);
const WAKE_UP_FRAMES = 3;

const aborted = (e: unknown): boolean =>
  e instanceof ModbusError && (e.kind === 'cancelled' || e.kind === 'closed');

/**
 * Walks baud rate × parity × unit id on one serial port, common settings first, spending on a silent
 * id little more than the wire time of one request and its reply. Every answering unit is identified
 * from the device library. Cancel with `hooks.signal`: the report then holds what was found so far.
 */
export async function scanRtu(
  library: DeviceLibrary,
  o: RtuScanOptions,
  hooks: ScanHooks<RtuPosition> = {},
): Promise<ScanReport> {
  const started = Date.now();
  const units = orderUnits(o.units?.length ? o.units : Array.from({ length: 247 }, (_, i) => i + 1));
  if (units.some((u) => !Number.isInteger(u) || u < 1 || u > 247))
    throw new ScanError(o.port, 'unit ids must be 1..247');
  const probe = idGroups(library)[0];
  if (!probe) throw new ScanError(o.port, 'the device library has no identification registers');
  const stops = [...new Set(o.stopBits?.length ? o.stopBits : [1 as const])].sort();
  const settings = orderBauds(o.bauds?.length ? o.bauds : DEFAULT_BAUDS).flatMap((baud) =>
    orderParities(o.parities?.length ? o.parities : DEFAULT_PARITIES).flatMap((parity) =>
      stops.map((stopBits) => ({ baud, parity, stopBits })),
    ),
  );
  const state: ScanState = {
    found: [],
    hints: [],
    done: 0,
    probes: 0,
    total: settings.length * units.length,
    current: { baud: settings[0]?.baud ?? 9600, parity: settings[0]?.parity ?? 'none', unit: units[0] ?? 1 },
  };
  for (const setting of settings) {
    if (hooks.signal?.aborted) break;
    if (!(await scanSetting(library, o, setting, units, probe, state, hooks))) break;
  }
  hooks.onProgress?.({
    phase: 'units',
    done: state.done,
    total: state.total,
    current: state.current,
    found: state.found.length,
  });
  return {
    kind: 'rtu',
    startedAt: started,
    durationMs: Date.now() - started,
    cancelled: hooks.signal?.aborted ?? false,
    probes: state.probes,
    // Ordered by line setting and unit id, not by when a (late) answer happened to arrive.
    found: flagEchoes(state.found).sort((a, b) => a.connection.unit - b.connection.unit),
    hints: state.hints,
  };
}

interface ScanState {
  found: FoundDevice[];
  hints: string[];
  done: number;
  probes: number;
  total: number;
  current: RtuPosition;
}

/** One pass over the unit ids at one serial setting; false when the scan was cancelled. */
async function scanSetting(
  library: DeviceLibrary,
  o: RtuScanOptions,
  setting: { baud: number; parity: Parity; stopBits: 1 | 2 },
  units: readonly number[],
  probe: IdGroup,
  state: ScanState,
  hooks: ScanHooks<RtuPosition>,
): Promise<boolean> {
  const { baud, parity, stopBits } = setting;
  const label = serialLabel(baud, parity, stopBits);
  const transport = new SerialTransport({ path: o.port, baudRate: baud, parity, dataBits: 8, stopBits });
  const bus = new ModbusBus(transport, { framing: 'rtu', reconnect: false, retries: 0, flushStale: false });
  const key = `scan:serial:${o.port}@${label}`;
  try {
    await bus.open();
  } catch (e) {
    throw new ScanError(o.port, (e as Error).message);
  }
  hooks.onBus?.(key, bus);
  const late = new LateReplies(bus.monitor);
  const base = silentUnitTimeoutMs(
    transport.charTimeMs,
    8,
    5 + 2 * probe.count,
    o.marginMs ?? DEFAULT_MARGIN_MS,
  );
  const startWindow = replyStartMs(transport.charTimeMs, o.replyStartMarginMs ?? REPLY_START_MARGIN_MS);
  const foundBefore = state.found.length;
  // A unit found at an earlier setting is the same meter (auto-baud meters answer at every rate).
  const known = new Set(state.found.map((d) => d.connection.unit));
  let slowest: number | undefined;
  const take = async (unit: number, read: IdRead): Promise<void> => {
    const latency = bus.latencyOf(unit);
    if (latency !== undefined) slowest = Math.max(slowest ?? 0, latency);
    const connection = { port: o.port, baud, parity, stopBits, unit };
    const d = await describeUnit(bus, unit, library, { group: probe, read }, connection, hooks.signal);
    state.found.push(d);
    known.add(unit);
    hooks.onFound?.(d);
  };
  const answered = (r: IdRead): boolean => r.words !== null || r.exception !== undefined;
  try {
    if (o.wakeUp !== false) {
      for (let i = 0; i < WAKE_UP_FRAMES; i++) await bus.broadcast(WAKE_UP_PDU);
      await new Promise((r) => setTimeout(r, Math.ceil(transport.charTimeMs * 10)));
    }
    for (const unit of units) {
      if (hooks.signal?.aborted) return false;
      state.current = { baud, parity, unit };
      hooks.onProgress?.({
        phase: 'units',
        done: state.done,
        total: state.total,
        current: state.current,
        found: state.found.length,
      });
      state.done++;
      if (known.has(unit)) continue;
      state.probes++;
      const timeoutMs = adaptiveProbeTimeoutMs(base, slowest, PROBE_CEILING_MS);
      // A slow unit seen on this line raises the start window by as much as it raised the timeout.
      const read = await readId(bus, unit, probe, {
        signal: hooks.signal,
        timeoutMs,
        replyStartMs: startWindow + (timeoutMs - base),
        retries: 0,
      });
      if (answered(read)) await take(unit, read);
      else if (read.error === 'crc') late.units.add(unit);
    }
    // A reply to the last ids may still be on its way.
    await new Promise((r) => setTimeout(r, Math.max(STRAGGLER_WAIT_MS, base * 2)));
    // Units whose answer came after their probe gave up, or garbled: ask them again, patiently.
    const again = [...late.units].filter((u) => units.includes(u) && !known.has(u)).sort((a, b) => a - b);
    for (const unit of again) {
      if (hooks.signal?.aborted) return false;
      state.probes++;
      const timeoutMs = o.patientTimeoutMs ?? PATIENT_TIMEOUT_MS;
      const read = await readId(bus, unit, probe, { signal: hooks.signal, timeoutMs });
      if (answered(read)) await take(unit, read);
    }
    const garbled = bus.monitor.frames().filter((f) => f.outcome === 'garbage' || f.outcome === 'crc-error');
    if (garbled.length && state.found.length === foundBefore)
      state.hints.push(
        `${garbled.length} garbled frame(s) at ${label}: a device may talk with other serial settings, or the line needs termination / A-B swapped`,
      );
    return true;
  } catch (e) {
    if (aborted(e)) return false;
    if (e instanceof ModbusError && e.kind === 'disconnected')
      throw new ScanError(o.port, `the port went away during the scan at ${label}: ${e.message}`);
    throw e;
  } finally {
    late.stop();
    await bus.close();
    hooks.onBus?.(key, null);
  }
}
