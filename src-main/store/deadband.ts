/**
 * A per-signal deadband: a new sample is stored only when it moved more than `delta` (in the signal's
 * unit) from the last STORED sample, or when `maxGapMs` has passed since that one, so a flat line is
 * still confirmed now and then and a plot can tell "unchanged" from "not read". Text and boolean
 * samples are stored when they change (delta does not apply) or when the gap is due.
 * Pure: the caller keeps the last stored sample per signal and applies this to new samples only.
 */
export interface Deadband {
  /** Minimum movement, ≥ 0; 0 stores every change and drops exact repeats. */
  delta: number;
  /** Longest time without a stored sample, ms (> 0). */
  maxGapMs: number;
}

export type DeadbandValue = number | string | boolean;

export interface Stored {
  t: number;
  v: DeadbandValue;
}

/** Longest gap a deadband may ask for: a day, so a retention trim never leaves a signal without a sample for long. */
export const MAX_DEADBAND_GAP_MS = 86_400_000;

/** Why a deadband setting cannot be used, or undefined when it can. */
export function deadbandProblem(d: Deadband): string | undefined {
  if (!Number.isFinite(d.delta) || d.delta < 0) return `deadband delta must be a number ≥ 0, not ${d.delta}`;
  if (!Number.isInteger(d.maxGapMs) || d.maxGapMs <= 0 || d.maxGapMs > MAX_DEADBAND_GAP_MS)
    return `deadband maximum gap must be 1 ms to 24 h, not ${d.maxGapMs} ms`;
  return undefined;
}

function moved(last: DeadbandValue, v: DeadbandValue, delta: number): boolean {
  if (typeof last !== 'number' || typeof v !== 'number') return !Object.is(last, v);
  if (Object.is(last, v)) return false;
  // NaN next to a number, or an infinity next to anything else: always a change worth storing.
  if (Number.isNaN(last) || Number.isNaN(v) || !Number.isFinite(last) || !Number.isFinite(v)) return true;
  return Math.abs(v - last) > delta;
}

/** Whether to store `sample`, given the last stored one of the same signal (undefined: none yet). */
export function passesDeadband(last: Stored | undefined, sample: Stored, d: Deadband | undefined): boolean {
  if (!d || !last) return true;
  if (sample.t - last.t >= d.maxGapMs) return true;
  // A sample older than the last stored one (a clock step back) is kept: dropping it could hide it for good.
  if (sample.t < last.t) return true;
  return moved(last.v, sample.v, d.delta);
}

/** Filters one signal's new samples (in time order); returns what to store and the new last stored sample. */
export function applyDeadband<S extends Stored>(
  last: Stored | undefined,
  samples: readonly S[],
  d: Deadband | undefined,
): { keep: S[]; last: Stored | undefined } {
  const keep: S[] = [];
  let current = last;
  for (const s of samples) {
    if (!passesDeadband(current, s, d)) continue;
    keep.push(s);
    current = { t: s.t, v: s.v };
  }
  return { keep, last: current };
}
