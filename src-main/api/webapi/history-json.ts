import type { HistoryRow } from '../../store/history-queries.js';

// History pages are the API's largest answers (10,000 records a page, a year is 53 pages): written
// straight from the column arrays instead of an object per record through the schema serializer.
// The text is what HistoryWire's serializer writes: the same keys in the same order.

/** A JSON number; a non-finite value (SQLite can hold ±Infinity) is null, as JSON.stringify writes it. */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

function record(r: HistoryRow): string {
  return `{"uid":${r[0]},"t":${r[1]},"p":${r[2]},"v":${num(r[3])},"d":${num(r[4])},"max":${num(r[5])},"min":${num(r[6])}}`;
}

/** `[record, …]`: the bare array of /v1/history/{uid}. */
export function historyArrayJson(rows: readonly HistoryRow[]): string {
  return `[${rows.map(record).join(',')}]`;
}

/** `{"history":{"<uid>":[record, …], …}}` for rows ordered by uid. */
export function historyByUidJson(rows: readonly HistoryRow[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length;) {
    const uid = rows[i]![0];
    const start = i;
    while (i < rows.length && rows[i]![0] === uid) i++;
    parts.push(`"${uid}":${historyArrayJson(rows.slice(start, i))}`);
  }
  return `{"history":{${parts.join(',')}}}`;
}
