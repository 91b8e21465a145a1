import { describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';

const m = (i: number): { topic: string; payload: string; qos: 1; retain: boolean; t: number } => ({
  topic: `t/${i}`,
  payload: String(i),
  qos: 1,
  retain: i % 2 === 0,
  t: i,
});

describe('outbox (the MQTT queue in the store)', () => {
  it('keeps messages in order per channel, drops the oldest beyond the bound and says how many', () => {
    const store = new Store({ file: ':memory:' });
    expect(store.outbox.push('mqtt', [1, 2, 3].map(m), 5)).toBe(0);
    expect(store.outbox.push('other', [9].map(m), 5)).toBe(0);
    expect(store.outbox.push('mqtt', [4, 5, 6, 7].map(m), 5)).toBe(2);
    expect(store.outbox.count('mqtt')).toBe(5);
    const head = store.outbox.peek('mqtt', 3);
    expect(head.map((x) => x.payload)).toEqual(['3', '4', '5']);
    expect(head[1]!.retain).toBe(true);
    expect(store.outbox.ack('mqtt', head[2]!.id)).toBe(3);
    expect(store.outbox.peek('mqtt', 10).map((x) => x.payload)).toEqual(['6', '7']);
    expect(store.outbox.count('other')).toBe(1);
    store.close();
  });

  it('reads raw samples after a cursor in time order, leaving out those younger than `until`', () => {
    const store = new Store({ file: ':memory:' });
    store.samples.importSamples([
      { uid: 2, t: 1000, v: 1 },
      { uid: 1, t: 1000, v: 2 },
      { uid: 1, t: 2000, v: 3 },
      { uid: 1, t: 3000, v: 4 },
    ]);
    expect(store.raw.after({ t: 0, uid: 0 }, 2500, 10).map((r) => r.v)).toEqual([2, 1, 3]);
    expect(store.raw.after({ t: 1000, uid: 1 }, 5000, 1)).toEqual([{ uid: 2, t: 1000, v: 1 }]);
    expect(store.raw.countAfter(1000, 5000)).toBe(2);
    store.close();
  });
});
