import type { MbusFixedCounter } from './fixed-data.js';
import { describeStatus, type MbusHeader } from './header.js';
import type { MbusRecord, MbusValueFields } from './records.js';
import type { MbusTelegram } from './telegram.js';

/** Text renderings of decoded telegrams for people (CLI, bus monitor); JSON consumers use the objects. */

const PREFIXED_UNITS = new Set(['Wh', 'J', 'W', 'J/h', 'varh', 'VAh', 'var', 'VA', 'cal']);
const PREFIX: Readonly<Record<number, string>> = { 0: '', 3: 'k', 6: 'M', 9: 'G' };

/** "37351 kWh", "561.08 m3", "06855817", "2011-01-05T15:26" — in the resolution the meter sent. */
export function formatRecordValue(rec: MbusValueFields): string {
  const d = rec.data;
  if (d.type === 'none') return '—';
  if (d.type === 'bcd' && d.value === null) return `invalid BCD 0x${d.digits}`;
  if (d.type === 'date' || d.type === 'date-time' || d.type === 'time')
    return d.valid ? d.text : `${d.text} (invalid)`;
  if (d.type === 'text') return JSON.stringify(d.text);
  if (d.type === 'binary') return `0x${d.hex.replace(/ /g, '')}`;
  if (typeof rec.value !== 'number') return String(rec.value);
  if (rec.unit === '')
    return d.type === 'bcd' && rec.exponent === 0 ? d.digits.replace(/^F/, '-') : String(rec.value);
  let value = rec.value;
  let unit = rec.unit;
  let decimals = Math.max(0, -rec.exponent);
  if (PREFIXED_UNITS.has(rec.unit) && rec.exponent > 0) {
    const p = Math.min(9, 3 * Math.floor(rec.exponent / 3));
    value /= 10 ** p;
    unit = `${PREFIX[p] ?? ''}${rec.unit}`;
    decimals = Math.max(0, p - rec.exponent);
  }
  const text = d.type === 'real' ? String(Number(value.toPrecision(7))) : value.toFixed(decimals);
  return `${text} ${unit}`;
}

function hex(v: number, width: number): string {
  return `0x${v.toString(16).toUpperCase().padStart(width, '0')}`;
}

function headerLines(h: MbusHeader): string[] {
  const status = describeStatus(h.status);
  return [
    `  Identification  ${h.id}`,
    `  Manufacturer    ${h.manufacturer} (${hex(h.manufacturerCode, 4)})`,
    `  Version         ${h.version}`,
    `  Medium          ${h.mediumName} (${hex(h.medium, 2)})`,
    `  Access number   ${h.accessNumber}`,
    `  Status          ${hex(h.status, 2)}${status.length ? ` (${status.join(', ')})` : ' (ok)'}`,
    `  Signature       ${hex(h.signature, 4)}`,
  ];
}

function where(r: MbusValueFields): string {
  const fn = { instantaneous: 'inst', maximum: 'max', minimum: 'min', error: 'err' }[r.function];
  return `st ${r.storage} tar ${r.tariff} sub ${r.subunit} ${fn}`.padEnd(24);
}

function recordLine(r: MbusRecord | MbusFixedCounter, index: number, signal: string | undefined): string {
  const n = String(index).padStart(3);
  if (r.type === 'manufacturer') {
    const bytes = r.data.length ? r.data.split(' ').length : 0;
    const flag = r.moreRecordsFollow ? ', more records follow' : '';
    return `${n}  manufacturer-specific data (${bytes} bytes${flag})${bytes ? `: ${r.data.slice(0, 72)}${r.data.length > 72 ? ' …' : ''}` : ''}`;
  }
  const notes = r.notes.length ? ` [${r.notes.join('; ')}]` : '';
  const mapped = signal ? `  → ${signal}` : '';
  return `${n}  ${where(r)} ${r.description.padEnd(26)} ${formatRecordValue(r)}${notes}${mapped}`;
}

/** One block of text per telegram; `signals` maps record index to "key = value unit". */
export function formatTelegram(t: MbusTelegram, signals: ReadonlyMap<number, string> = new Map()): string {
  const f = t.frame;
  const lines: string[] = [];
  if (f.type === 'ack') return '  E5 single-character acknowledgement';
  const addr = `address ${f.address ?? 0}`;
  const ci = f.ci === undefined ? '' : `, CI ${hex(f.ci, 2)}`;
  lines.push(`  ${f.type} frame, ${f.controlName ?? 'unknown'} (C ${hex(f.control ?? 0, 2)}), ${addr}${ci}`);
  const u = t.userData;
  if (!u) return lines.join('\n');
  switch (u.kind) {
    case 'variable':
      if (u.header) lines.push(...headerLines(u.header));
      if (u.shortHeader) {
        lines.push(
          `  Access number   ${u.shortHeader.accessNumber}`,
          `  Status          ${hex(u.shortHeader.status, 2)}`,
        );
      }
      if (u.msbFirst) lines.push('  Byte order      most significant byte first (mode 2)');
      lines.push(`  Records (${u.records.length}):`);
      u.records.forEach((r, i) => lines.push(recordLine(r, i, signals.get(i))));
      break;
    case 'fixed':
      lines.push(
        `  Identification  ${u.fixed.id}`,
        `  Medium          ${u.fixed.mediumName}`,
        `  Access number   ${u.fixed.accessNumber}`,
        `  Status          ${hex(u.fixed.status, 2)} (${u.fixed.stored ? 'stored values' : 'actual values'})`,
      );
      u.fixed.counters.forEach((c, i) => lines.push(recordLine(c, i, signals.get(i))));
      break;
    case 'application-error':
      lines.push(`  Application error ${u.code === undefined ? '(no code)' : hex(u.code, 2)}: ${u.message}`);
      break;
    case 'alarm':
      lines.push(`  Alarm status ${u.alarm === undefined ? '(none)' : hex(u.alarm, 2)}`);
      break;
    case 'application-reset':
      lines.push(`  Application reset${u.subcode === undefined ? '' : `, sub-code ${hex(u.subcode, 2)}`}`);
      break;
    case 'data-send':
      lines.push(`  Data send, ${u.records.length} record(s):`);
      u.records.forEach((r, i) => lines.push(recordLine(r, i, undefined)));
      break;
    case 'select':
      lines.push(
        `  Select by secondary address: id ${u.mask.id}, manufacturer ${hex(u.mask.manufacturer, 4)}, version ${hex(u.mask.version, 2)}, medium ${hex(u.mask.medium, 2)}`,
      );
      break;
    case 'set-baud-rate':
      lines.push(`  Set baud rate to ${u.baudRate}`);
      break;
  }
  return lines.join('\n');
}
