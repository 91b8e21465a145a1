import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SAMPLE_BLOCKS_MIGRATION } from '../../src-main/store/migration-005-sample-blocks.js';
import { MIGRATIONS, migrate } from '../../src-main/store/migrations.js';
import { Store } from '../../src-main/store/store.js';

const T0 = Date.UTC(2026, 2, 1);
const N = 5000;
/** Signals of every kind the store keeps, as rows of a database from before blocks. */
const KINDS = {
  gauge: { uid: 11, v: (i: number) => Math.round(2300 + ((i * 7919) % 31) - 15) / 10 },
  counter: { uid: 12, v: (i: number) => Math.round(123_456_789 + i * 3.7) / 1000 },
  flag: { uid: 13, v: (i: number) => (Math.floor(i / 400) % 2 ? 1 : 0) },
  float32: { uid: 14, v: (i: number) => Math.fround(Math.sin(i / 50) * 1000) },
  extremes: { uid: 15, v: (i: number) => [1e300, -1e-300, 2 ** 52, 0, -123.456789012345][i % 5]! },
} as const;
const TEXT_UID = 16;
const text = (i: number): string => (i % 900 < 600 ? 'Normal' : `Alarm ${Math.floor(i / 900)} ✓`);

function oldDatabase(file: string): void {
  const db = new Database(file);
  // Every migration before the one that added blocks: the layout an existing installation has.
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version < SAMPLE_BLOCKS_MIGRATION.version),
  );
  const ins = db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
  const insText = db.prepare('INSERT INTO samples_text (uid, t, v) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < N; i++) {
      for (const k of Object.values(KINDS)) ins.run(k.uid, T0 + i * 1000 + (i % 13), k.v(i));
      if (i % 2 === 0) insText.run(TEXT_UID, T0 + i * 1000, text(i));
    }
  })();
  db.close();
}

function everySample(store: Store) {
  const end = T0 + N * 1000 + 60_000;
  return {
    numbers: Object.values(KINDS).map((k) => [...store.raw.points(k.uid, 0, end)]),
    texts: [...store.raw.texts(TEXT_UID, 0, end)],
  };
}

function expected() {
  return {
    numbers: Object.values(KINDS).map((k) =>
      Array.from({ length: N }, (_, i) => ({ t: T0 + i * 1000 + (i % 13), v: k.v(i) })),
    ),
    texts: Array.from({ length: N / 2 }, (_, j) => ({ t: T0 + 2 * j * 1000, v: text(2 * j) })),
  };
}

function counts(store: Store): { rows: number; blocks: number } {
  return store.db
    .prepare(
      `SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM samples_text) AS rows,
              (SELECT count(*) FROM sample_blocks) AS blocks`,
    )
    .get() as { rows: number; blocks: number };
}

describe('converting a database from before blocks', () => {
  it('in slices while it stays readable, resumed after a stop, every sample kept', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-blocks-migrate-')), 'ems.db');
    oldDatabase(file);
    const want = expected();
    const now = T0 + 86_400_000;

    const first = new Store({ file });
    expect(everySample(first)).toEqual(want);
    // A few steps of a few blocks each (bounded by work, not time: a fast machine must stop half-way
    // too), then the process stops in the middle of the conversion.
    for (let i = 0; i < 3; i++) expect(first.raw.closeBlocks(now, 4)).toBeGreaterThan(0);
    const mid = counts(first);
    expect(mid.blocks).toBeGreaterThan(0);
    expect(mid.rows).toBeGreaterThan(0);
    // Meanwhile every query answers everything, from blocks and rows together.
    expect(everySample(first)).toEqual(want);
    first.db.close();

    const second = new Store({ file });
    expect(second.raw.blocks.converting).toBe(true);
    second.raw.blocks.closeAll(now);
    expect(second.raw.blocks.converting).toBe(false);
    const done = counts(second);
    expect(done.rows).toBe(0);
    // 5 signals × 5,000 → 9 blocks each (8 of 600 + 200); 2,500 texts → 5 blocks (4 of 600 + 100).
    expect(done.blocks).toBe(5 * 9 + 5);
    const got = everySample(second);
    expect(got).toEqual(want);
    // toEqual treats -0 and 0 alike; values must come back bit for bit.
    got.numbers.forEach((s, k) =>
      s.forEach((x, i) => expect(Object.is(x.v, want.numbers[k]![i]!.v)).toBe(true)),
    );
    second.close();
  });
});
