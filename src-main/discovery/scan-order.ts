import type { Parity } from '../transport/transport.js';

/** Baud rates by how often meters ship with them: the factory default 9600 first. */
const COMMON_BAUDS = [9600, 19200, 38400, 115200, 4800, 2400, 57600, 1200];
const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];

export const DEFAULT_BAUDS: readonly number[] = [9600, 19200, 38400, 115200];
export const DEFAULT_PARITIES: readonly Parity[] = ['none', 'even'];

function rank(list: readonly number[], v: number): number {
  const i = list.indexOf(v);
  return i < 0 ? list.length : i;
}

/** The requested baud rates, common ones first (a meter is most likely still at its factory default). */
export function orderBauds(bauds: readonly number[]): number[] {
  return [...new Set(bauds)].sort((a, b) => rank(COMMON_BAUDS, a) - rank(COMMON_BAUDS, b));
}

export function orderParities(parities: readonly Parity[]): Parity[] {
  return [...new Set(parities)].sort((a, b) => PARITIES.indexOf(a) - PARITIES.indexOf(b));
}

/** Unit ids low first: factory defaults are 1 and installers number upwards from there. */
export function orderUnits(units: readonly number[]): number[] {
  return [...new Set(units)].sort((a, b) => a - b);
}

/** 3.5 character times of silence before and after each frame. */
const FRAME_GAPS_CHARS = 7;

/**
 * How long to wait for a unit that may not exist: the request's and the reply's wire time plus the
 * silences around them, plus a margin for the adapter's buffering and the slave's turnaround.
 * Anything longer is paid 246 times in a full scan.
 */
export function silentUnitTimeoutMs(
  charTimeMs: number,
  requestBytes: number,
  replyBytes: number,
  marginMs: number,
): number {
  return Math.ceil((requestBytes + replyBytes + FRAME_GAPS_CHARS) * charTimeMs + marginMs);
}

/**
 * How long after its request left the wire a silent id is given to start a reply: the 3.5-character
 * silence a slave keeps, the first character itself, and a margin for the slave's turnaround and the
 * adapter's buffering. A reply that has started is waited for in full (the bus extends its timeout).
 */
export function replyStartMs(charTimeMs: number, marginMs: number): number {
  return Math.ceil(4.5 * charTimeMs + marginMs);
}

/**
 * Once units answered, their latency tells how slow this line is: the probe waits for the slowest
 * answer seen with some headroom, never less than the wire-time minimum and never more than `ceilingMs`.
 */
export function adaptiveProbeTimeoutMs(
  baseMs: number,
  slowestMs: number | undefined,
  ceilingMs: number,
): number {
  if (slowestMs === undefined) return baseMs;
  return Math.round(Math.min(ceilingMs, Math.max(baseMs, slowestMs * 1.5 + 5)));
}

export function serialLabel(baud: number, parity: Parity, stopBits: 1 | 2 = 1): string {
  return `${baud} 8${parity[0]!.toUpperCase()}${stopBits}`;
}
