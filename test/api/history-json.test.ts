import { describe, expect, it } from 'vitest';
import { historyArrayJson, historyByUidJson } from '../../src-main/api/webapi/history-json.js';
import type { HistoryRow } from '../../src-main/store/history-queries.js';
import { recordOf } from '../helpers/history-record.js';

// Values a REAL column can give back: fractions, exponents, -0, huge and tiny, and ±Infinity.
const odd = [230.1, -0, 1e21, 5e-324, -1.5e-7, 0.1 + 0.2, Infinity, -Infinity, 2 ** 53 + 2];
const rows: HistoryRow[] = odd.map((v, i) => [
  1 + Math.floor(i / 3),
  1_700_000_000 + i,
  1_700_000_060 + i,
  v,
  odd[(i + 1) % odd.length]!,
  odd[(i + 2) % odd.length]!,
  -v,
]);

describe('history JSON written from column arrays', () => {
  it('is exactly JSON.stringify of the records (keys in schema order, non-finite as null)', () => {
    expect(historyArrayJson(rows)).toBe(JSON.stringify(rows.map(recordOf)));
    expect(historyArrayJson([])).toBe('[]');
  });

  it('groups by uid as the seed shape {"history":{"<uid>":[…]}}', () => {
    const grouped: Record<string, ReturnType<typeof recordOf>[]> = {};
    for (const r of rows) (grouped[String(r[0])] ??= []).push(recordOf(r));
    expect(historyByUidJson(rows)).toBe(JSON.stringify({ history: grouped }));
    expect(historyByUidJson([])).toBe('{"history":{}}');
  });
});
