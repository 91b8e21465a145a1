import type { UnitStats } from '../bus/monitor.js';

/** Bus statistics of one unit over one commissioning step (or summed over all of them). */
export interface BusHealth {
  bus: string;
  unit: number;
  requests: number;
  errors: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  /** Over answered requests, ms. */
  meanMs: number;
  maxMs: number;
  /** Answered requests (ok or exception): the weight of meanMs. */
  answered: number;
}

type Snapshot = Map<number, UnitStats>;

export function snapshot(stats: ReadonlyMap<number, UnitStats>): Snapshot {
  return new Map([...stats].map(([u, s]) => [u, { ...s }]));
}

const answeredOf = (s: UnitStats): number => s.requests - (s.errors - s.exceptions);

/** What happened on a bus between two snapshots of its monitor's statistics, per unit. */
export function healthSince(bus: string, before: Snapshot, now: ReadonlyMap<number, UnitStats>): BusHealth[] {
  const out: BusHealth[] = [];
  for (const [unit, s] of now) {
    const b = before.get(unit);
    const requests = s.requests - (b?.requests ?? 0);
    if (requests <= 0) continue;
    const answered = answeredOf(s) - (b ? answeredOf(b) : 0);
    const sumNow = s.meanMs * answeredOf(s);
    const sumBefore = b ? b.meanMs * answeredOf(b) : 0;
    out.push({
      bus,
      unit,
      requests,
      errors: s.errors - (b?.errors ?? 0),
      timeouts: s.timeouts - (b?.timeouts ?? 0),
      crcErrors: s.crcErrors - (b?.crcErrors ?? 0),
      exceptions: s.exceptions - (b?.exceptions ?? 0),
      meanMs: answered > 0 ? round((sumNow - sumBefore) / answered) : 0,
      // The monitor keeps one running maximum per unit: this is the slowest reply up to now.
      maxMs: round(s.maxMs),
      answered,
    });
  }
  return out;
}

/** Sums steps per bus and unit: counts add, the mean is weighted by answered requests, the max is the max. */
export function sumHealth(rows: readonly BusHealth[]): BusHealth[] {
  const by = new Map<string, BusHealth>();
  for (const r of rows) {
    const k = `${r.bus} ${r.unit}`;
    const cur = by.get(k);
    if (!cur) {
      by.set(k, { ...r });
      continue;
    }
    const answered = cur.answered + r.answered;
    cur.meanMs = answered ? round((cur.meanMs * cur.answered + r.meanMs * r.answered) / answered) : 0;
    cur.answered = answered;
    cur.requests += r.requests;
    cur.errors += r.errors;
    cur.timeouts += r.timeouts;
    cur.crcErrors += r.crcErrors;
    cur.exceptions += r.exceptions;
    cur.maxMs = Math.max(cur.maxMs, r.maxMs);
  }
  return [...by.values()].sort((a, b) => a.bus.localeCompare(b.bus) || a.unit - b.unit);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
