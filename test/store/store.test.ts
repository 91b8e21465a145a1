import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_KIB } from '../../src-main/store/db.js';
import { MIGRATIONS, migrate } from '../../src-main/store/migrations.js';
import { periodEnd } from '../../src-main/store/rollup.js';
import { Store } from '../../src-main/store/store.js';

const stores: Store[] = [];
function newStore(): Store {
  const s = new Store({ file: join(mkdtempSync(join(tmpdir(), 'ems-store-')), 'ems.db') });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) if (s.db.open) s.close();
});

function addMeter(store: Store) {
  return store.config.addDevice({
    label: 'M',
    protocol: 'tcp',
    model: 'eastron-sdm630',
    partNumber: 'SDM630',
    system: '3P.N',
    connection: { host: '127.0.0.1', port: 502, unit: 1, model: 'eastron-sdm630' },
    loads: [
      {
        label: 'L',
        index: 1,
        signals: [
          { key: 'voltage', si: 29, kind: 'gauge', type: 'float', unit: 'V' },
          { key: 'energy_import', si: 6, kind: 'counter', type: 'float', unit: 'kWh' },
        ],
      },
    ],
  });
}

describe('migrations', () => {
  it('creates the schema from an empty file and is idempotent', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-mig-')), 'new.db');
    const db = new Database(file);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['devices', 'loads', 'signals', 'realtime', 'samples', 'history', 'users']),
    );
    db.close();
  });

  it('refuses a database written by a newer app', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer than this app/);
  });

  it('opens in WAL mode', () => {
    expect(newStore().db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('bounds its memory: a page cache of its own size (not the build default) and no memory-mapped file', () => {
    const db = newStore().db;
    // better-sqlite3 is built with a 16000 KiB default: 16 MiB shows the store set its own.
    const builtWith = (db.pragma('compile_options', { simple: false }) as { compile_options: string }[])
      .map((o) => o.compile_options)
      .find((o) => o.startsWith('DEFAULT_CACHE_SIZE='));
    expect(builtWith).not.toBe(`DEFAULT_CACHE_SIZE=-${CACHE_KIB}`);
    expect(db.pragma('cache_size', { simple: true })).toBe(-16 * 1024);
    expect(db.pragma('mmap_size', { simple: true })).toBe(0);
  });
});

describe('configuration', () => {
  it('gives devices, loads and signals uids from one sequence, never reused', () => {
    const store = newStore();
    const a = addMeter(store);
    const load = a.loads[0]!;
    const uids = [a.uid, load.uid, ...load.signals.map((s) => s.uid)];
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toEqual([...uids].sort((x, y) => x - y));
    store.config.removeDevice(a.uid);
    const b = addMeter(store);
    expect(b.uid).toBeGreaterThan(Math.max(...uids));
    expect(store.config.device(a.uid)).toBeUndefined();
    expect(store.config.signals({ did: a.uid })).toHaveLength(0);
  });

  it('adds a device atomically: a failing signal leaves nothing behind', () => {
    const store = newStore();
    expect(() =>
      store.config.addDevice({
        label: 'bad',
        protocol: 'tcp',
        model: null,
        partNumber: 'X',
        system: '1P',
        connection: { host: 'h', port: 1, unit: 1, model: 'x' },
        loads: [
          {
            label: 'L',
            index: 1,
            signals: [{ key: 'v', si: 29, kind: 'nonsense' as 'gauge', type: 'float', unit: 'V' }],
          },
        ],
      }),
    ).toThrow();
    expect(store.config.devices()).toHaveLength(0);
    expect(store.config.loads()).toHaveLength(0);
  });
});

describe('samples and roll-ups', () => {
  it('aligns periods to 60 s: p is the end of [p-60, p)', () => {
    expect(periodEnd(1735689659_000)).toBe(1735689660);
    expect(periodEnd(1735689660_000)).toBe(1735689720);
    expect(periodEnd(1735689600_000)).toBe(1735689660);
  });

  it('computes mean/max/min for gauges and last/d for counters from known samples', () => {
    const store = newStore();
    const tree = addMeter(store);
    const [volt, energy] = tree.loads[0]!.signals;
    const t0 = 1735689600_000; // aligned to a minute
    const rows = [
      { uid: volt!.uid, t: t0 + 1_000, v: 230 },
      { uid: volt!.uid, t: t0 + 20_000, v: 232 },
      { uid: volt!.uid, t: t0 + 59_000, v: 228 },
      { uid: volt!.uid, t: t0 + 61_000, v: 240 },
      { uid: energy!.uid, t: t0 + 1_000, v: 100 },
      { uid: energy!.uid, t: t0 + 59_000, v: 101.5 },
      { uid: energy!.uid, t: t0 + 70_000, v: 102 },
      { uid: energy!.uid, t: t0 + 119_000, v: 104 },
    ];
    const r = store.samples.importSamples(rows);
    expect(r).toEqual({ samples: 8, periods: 4 });
    const v = store.samples.history(volt!.uid, t0, t0 + 180_000);
    expect(v).toEqual([
      { uid: volt!.uid, t: 1735689659, p: 1735689660, v: 230, d: 0, max: 232, min: 228 },
      { uid: volt!.uid, t: 1735689661, p: 1735689720, v: 240, d: 0, max: 240, min: 240 },
    ]);
    const e = store.samples.history(energy!.uid, t0, t0 + 180_000);
    expect(e).toEqual([
      { uid: energy!.uid, t: 1735689659, p: 1735689660, v: 101.5, d: 1.5, max: 101.5, min: 100 },
      { uid: energy!.uid, t: 1735689719, p: 1735689720, v: 104, d: 2.5, max: 104, min: 102 },
    ]);
    expect(store.samples.latestHistory(energy!.uid)?.p).toBe(1735689720);
  });

  it('writes a batch in one transaction and keeps realtime at the newest sample', () => {
    const store = newStore();
    const [volt] = addMeter(store).loads[0]!.signals;
    store.samples.ingest([
      { uid: volt!.uid, t: 1000, v: 1, s: 1 },
      { uid: volt!.uid, t: 2000, v: 2, s: 1 },
      { uid: volt!.uid, t: 1500, v: 9, s: 1 },
    ]);
    expect(store.samples.pendingCount).toBe(3);
    const before = store.db.prepare('SELECT count(*) FROM samples').pluck().get();
    expect(before).toBe(0);
    expect(store.samples.flush(5000)).toBe(3);
    expect(store.samples.stats.batches).toBe(1);
    expect(store.samples.realtime([volt!.uid])[0]).toMatchObject({ v: 2, t: 2000, s: 1 });
    store.samples.markStale([volt!.uid], 6000);
    store.samples.flush(6000);
    expect(store.samples.realtime([volt!.uid])[0]).toMatchObject({ v: 2, s: 0 });
  });

  it('rolls up closed periods during live ingest', () => {
    const store = newStore();
    const [volt] = addMeter(store).loads[0]!.signals;
    const t0 = Math.ceil(Date.now() / 60_000) * 60_000;
    for (let i = 0; i < 60; i++)
      store.samples.ingest([{ uid: volt!.uid, t: t0 + i * 1000, v: 200 + i, s: 1 }]);
    store.samples.flush(t0 + 30_000);
    expect(store.samples.history(volt!.uid, t0, t0 + 60_000)).toHaveLength(0); // period still open
    store.samples.flush(t0 + 63_000);
    const h = store.samples.history(volt!.uid, t0, t0 + 60_000);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ v: 229.5, max: 259, min: 200, p: (t0 + 60_000) / 1000 });
  });

  it('trims raw samples past the retention but keeps roll-ups', () => {
    const store = newStore();
    const [volt] = addMeter(store).loads[0]!.signals;
    const now = Date.now();
    store.samples.importSamples([
      { uid: volt!.uid, t: now - 10 * 86_400_000, v: 1 },
      { uid: volt!.uid, t: now - 1000, v: 2 },
    ]);
    expect(store.samples.trimRaw(7 * 86_400_000, now)).toBe(1);
    expect(store.db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(1);
    expect(store.db.prepare('SELECT count(*) FROM history').pluck().get()).toBe(2);
  });
});

describe('accounts', () => {
  it('stores scrypt hashes, verifies passwords and rejects wrong ones', () => {
    const store = newStore();
    store.users.add('tech', 'correct horse', 'admin');
    const hash = store.db.prepare('SELECT hash FROM users').pluck().get() as string;
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('correct horse');
    expect(store.users.verify('tech', 'correct horse')?.role).toBe('admin');
    expect(store.users.verify('tech', 'wrong horse')).toBeUndefined();
    expect(store.users.verify('nobody', 'correct horse')).toBeUndefined();
    expect(() => store.users.add('tech', 'another pass', 'api')).toThrow(/already exists/);
    expect(() => store.users.add('x', 'short', 'api')).toThrow(/at least 8/);
  });

  it('creates a serial number and JWT secret once per installation', () => {
    const store = newStore();
    const sn = store.meta.serialNumber();
    expect(sn).toMatch(/^EMSC-[0-9A-F]{10}$/);
    expect(store.meta.serialNumber()).toBe(sn);
    expect(store.meta.jwtSecret().length).toBe(32);
    expect(store.meta.jwtSecret().equals(store.meta.jwtSecret())).toBe(true);
  });
});
