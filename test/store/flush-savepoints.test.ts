import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';
import { gauges, plainDevice } from '../helpers/plain-device.js';

/** Samples, roll-ups and blocks are written in one commit per flush; a failing part loses no samples. */
describe('one commit per flush', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('a roll-up that fails keeps the samples of the flush and is done again at the next one', () => {
    store = new Store({ file: join(mkdtempSync(join(tmpdir(), 'ems-flush-')), 'ems.db') });
    const uid = store.config.addDevice(plainDevice('flush', gauges(1))).loads[0]!.signals[0]!.uid;
    const t0 = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
    store.db.exec(
      `CREATE TRIGGER refuse_rollups BEFORE INSERT ON history BEGIN SELECT RAISE(ABORT, 'roll-ups refused'); END`,
    );
    for (let i = 0; i < 70; i++) {
      store.samples.ingest([{ uid, t: t0 + i * 1000, v: i, s: 1 }]);
      store.samples.flush(t0 + i * 1000);
    }
    // Every sample is stored although the minute that closed at t0 + 62 s could not be rolled up.
    expect([...store.raw.points(uid, t0, t0 + 70_000)].map((p) => p.v)).toEqual(
      Array.from({ length: 70 }, (_, i) => i),
    );
    expect(store.samples.stats.lastError).toContain('roll-ups refused');
    expect(store.samples.latestHistory(uid)).toBeUndefined();

    store.db.exec('DROP TRIGGER refuse_rollups');
    store.samples.ingest([{ uid, t: t0 + 70_000, v: 70, s: 1 }]);
    store.samples.flush(t0 + 70_000);
    const h = store.samples.latestHistory(uid);
    // The first minute: samples 0 … 59, their mean 29.5.
    expect(h?.v).toBe(29.5);
    expect(h?.max).toBe(59);
  });
});
