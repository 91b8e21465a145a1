import { formatDuration } from './duration.js';
import type { Cell, Row } from './compute.js';
import type { Column, DataType } from './plan.js';

/**
 * The header cell of a column: space-separated key=value pairs. Device IDs and attribute keys were
 * resolved against the configuration, so none contains a space, `=`, a comma or a newline.
 */
export function headerCell(c: Column): string {
  return [
    `telemetry=${c.attribute}`,
    `device=${c.device}`,
    `aggregation=${c.requested}`,
    `granularity=${formatDuration(c.granularityNs)}`,
    `gap_filling_method=${c.gapFilling}`,
    `gap_filling_look_around=${formatDuration(c.lookAroundNs)}`,
  ].join(' ');
}

/** RFC 4180: a text with a comma, quote or line break is quoted, its quotes doubled. */
function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatValue(v: Cell, type: DataType): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return quote(v);
  if (!Number.isFinite(v)) return '';
  if (type === 'boolean') return v !== 0 ? 'true' : 'false';
  if (type === 'integer') return String(Math.round(v) || 0);
  return String(v === 0 ? 0 : v);
}

/** A bucket start (Unix ns) as Unix seconds: whole seconds bare, finer ones with their fraction. */
export function formatTs(b: bigint): string {
  const s = b / 1_000_000_000n;
  const frac = b % 1_000_000_000n;
  if (frac === 0n) return String(s);
  const digits = (frac < 0n ? -frac : frac).toString().padStart(9, '0').replace(/0+$/, '');
  return `${b < 0n && s === 0n ? '-' : ''}${s}.${digits}`;
}

export function headerLine(columns: readonly Column[]): string {
  return `${['ts', ...columns.map(headerCell)].join(',')}\n`;
}

export function rowLine(columns: readonly Column[], row: Row): string {
  let line = formatTs(row.b);
  for (let i = 0; i < columns.length; i++) line += `,${formatValue(row.cells[i], columns[i]!.dataType)}`;
  return `${line}\n`;
}

/**
 * The CSV in chunks of about `chunkChars`: `ts,<column>…` then one line per row, empty cell = null.
 * Each chunk is encoded in the same step that built it: what waits for the socket is one flat buffer
 * outside the JS heap, not a string of thousands of pieces that outlives young-generation collections
 * (a 7-day 1-s answer otherwise promotes tens of MiB of row strings to the old generation).
 */
export function* csvChunks(
  columns: readonly Column[],
  rows: Iterable<Row>,
  chunkChars = 64 * 1024,
): Generator<Buffer> {
  let buf = headerLine(columns);
  for (const r of rows) {
    buf += rowLine(columns, r);
    if (buf.length >= chunkChars) {
      yield Buffer.from(buf, 'utf8');
      buf = '';
    }
  }
  if (buf) yield Buffer.from(buf, 'utf8');
}

/** The whole CSV as one string (small answers and tests). */
export function toCsv(columns: readonly Column[], rows: Iterable<Row>): string {
  return Buffer.concat([...csvChunks(columns, rows)]).toString('utf8');
}
