import { describe, expect, it } from 'vitest';
import { interleave, pairedResult, result } from '../../bench/lib.js';

describe('bench figures', () => {
  it('the paired ratio is the median of the rounds’ ratios; the ratio divides the medians', () => {
    // The host doubles its speed for the last two rounds: each round's pair moves together, and the
    // ratio of the medians (0.95) pairs a fast round of ours with a slow one of the baseline.
    const ours = [90, 95, 92, 180, 186];
    const base = [100, 100, 100, 200, 200];
    const r = pairedResult('x', 'tx/s', ours, 'base', base);
    expect(r.ratio).toBe(0.95);
    expect(r.pairedRatio).toBe(0.92);
    expect(r.values).toEqual(ours);
    expect(r.baselineValues).toEqual(base);
    expect(r.runs).toBe(5);
  });

  it('runs that do not pair round by round are refused, and a single run keeps no list', () => {
    expect(() => pairedResult('x', 'ms', [1, 2], 'base', [1])).toThrow(/do not pair/);
    const one = result('y', 'ms', [5], 'base', [4]);
    expect(one).not.toHaveProperty('values');
    expect(one).not.toHaveProperty('pairedRatio');
    expect(one.ratio).toBe(1.25);
  });

  it('interleaves rounds in the order given, or alternately reversed', async () => {
    const order: string[] = [];
    const fns = {
      a: () => (order.push('a'), 1),
      b: () => (order.push('b'), 2),
      c: () => (order.push('c'), 3),
    };
    const same = await interleave(2, fns);
    expect(order.splice(0)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(same).toEqual({ a: [1, 1], b: [2, 2], c: [3, 3] });
    await interleave(3, fns, { alternate: true });
    expect(order).toEqual(['a', 'b', 'c', 'c', 'b', 'a', 'a', 'b', 'c']);
  });
});
