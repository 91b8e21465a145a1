import { formatDuration } from './duration.js';
import type { Table } from './compute.js';
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

export function formatValue(v: number | undefined, type: DataType): string {
  if (v === undefined || !Number.isFinite(v)) return '';
  if (type === 'boolean') return v !== 0 ? 'true' : 'false';
  if (type === 'integer') return String(Math.round(v) || 0);
  return String(v === 0 ? 0 : v);
}

/** `ts,<column>…` then one line per row; every line ends with \n, no blank lines, empty cell = null. */
export function toCsv(columns: readonly Column[], table: Table): string {
  const lines = [['ts', ...columns.map(headerCell)].join(',')];
  for (const ts of table.ts)
    lines.push(
      [String(ts), ...columns.map((c, i) => formatValue(table.values[i]?.get(ts), c.dataType))].join(','),
    );
  return `${lines.join('\n')}\n`;
}
