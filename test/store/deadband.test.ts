import { describe, expect, it } from 'vitest';
import {
  applyDeadband,
  deadbandProblem,
  passesDeadband,
  type Deadband,
  type Stored,
} from '../../src-main/store/deadband.js';

const d: Deadband = { delta: 0.5, maxGapMs: 10_000 };
const at = (t: number, v: Stored['v']): Stored => ({ t, v });

function kept(samples: Stored[], band: Deadband | undefined = d): Stored[] {
  return applyDeadband(undefined, samples, band).keep;
}

describe('deadband', () => {
  it('without a setting, or for the first sample of a signal, everything is stored', () => {
    const xs = [at(0, 1), at(1000, 1), at(2000, 1)];
    expect(applyDeadband(undefined, xs, undefined).keep).toEqual(xs);
    expect(applyDeadband(at(-1000, 1), xs, undefined).keep).toEqual(xs);
    expect(passesDeadband(undefined, at(0, 5), d)).toBe(true);
  });

  it('stores a sample only when it moved more than delta from the last STORED one', () => {
    // Creeping by 0.2 a second: no single step passes 0.5, the sum since the last stored one does.
    const xs = [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2].map((v, i) => at(i * 1000, v));
    expect(kept(xs).map((s) => s.v)).toEqual([0, 0.6, 1.2]);
  });

  it('exactly delta is not "more than delta"', () => {
    expect(kept([at(0, 10), at(1000, 10.5), at(2000, 9.5), at(3000, 10.51)]).map((s) => s.v)).toEqual([
      10, 10.51,
    ]);
  });

  it('stores at least every maxGap even when nothing moved', () => {
    const xs = Array.from({ length: 31 }, (_, i) => at(i * 1000, 42));
    expect(kept(xs).map((s) => s.t)).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('delta 0 stores every change and drops exact repeats', () => {
    const xs = [1, 1, 1.000001, 1.000001, 2].map((v, i) => at(i * 1000, v));
    expect(kept(xs, { delta: 0, maxGapMs: 60_000 }).map((s) => s.v)).toEqual([1, 1.000001, 2]);
  });

  it('text and boolean samples: stored on change or when the gap is due; delta does not apply', () => {
    const flags = [true, true, false, false, false, true].map((v, i) => at(i * 1000, v));
    expect(kept(flags).map((s) => s.t)).toEqual([0, 2000, 5000]);
    const states = ['run', 'run', 'run', 'stop'].map((v, i) => at(i * 6000, v));
    expect(kept(states).map((s) => s.t)).toEqual([0, 12_000, 18_000]);
  });

  it('NaN, infinities and a change of type always count as movement; repeats of them do not', () => {
    const xs = [
      at(0, 1),
      at(1000, NaN),
      at(2000, NaN),
      at(3000, Infinity),
      at(4000, Infinity),
      at(5000, '1'),
    ];
    expect(kept(xs).map((s) => s.t)).toEqual([0, 1000, 3000, 5000]);
  });

  it('continues from the last stored sample it is given (state kept by the caller across batches)', () => {
    const first = applyDeadband(undefined, [at(0, 1), at(1000, 1.2)], d);
    expect(first.last).toEqual(at(0, 1));
    const second = applyDeadband(first.last, [at(2000, 1.4), at(3000, 1.6)], d);
    expect(second.keep).toEqual([at(3000, 1.6)]);
  });

  it('a sample older than the last stored one (clock stepped back) is kept', () => {
    expect(passesDeadband(at(5000, 1), at(4000, 1), d)).toBe(true);
  });

  it('refuses settings it cannot apply', () => {
    expect(deadbandProblem(d)).toBeUndefined();
    expect(deadbandProblem({ delta: -1, maxGapMs: 1000 })).toMatch(/delta must be a number ≥ 0/);
    expect(deadbandProblem({ delta: NaN, maxGapMs: 1000 })).toMatch(/delta/);
    expect(deadbandProblem({ delta: 1, maxGapMs: 0 })).toMatch(/1 ms to 24 h/);
    expect(deadbandProblem({ delta: 1, maxGapMs: 86_400_001 })).toMatch(/1 ms to 24 h/);
    expect(deadbandProblem({ delta: 1, maxGapMs: 1.5 })).toMatch(/1 ms to 24 h/);
  });
});
