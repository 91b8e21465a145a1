import { formatCrc } from '../protocol/p1/crc16.js';
import { P1Framer, type P1FrameErrorReason } from '../protocol/p1/framer.js';
import { parseP1Frame } from '../protocol/p1/parser.js';
import { looksLike7E1, stripParity } from '../protocol/p1/seven-bit.js';
import { mapP1Telegram, type P1Sample, type P1Signals } from '../protocol/p1/signals.js';
import type { P1Timestamp, P1TimeZone } from '../protocol/p1/timestamp.js';
import type { P1Object, P1ParseErrorReason, P1Telegram, P1Value } from '../protocol/p1/types.js';

export interface P1DecodedTelegram {
  /** Byte offset of the "/" in the input. */
  offset: number;
  telegram: P1Telegram;
  signals: P1Signals;
}

export interface P1DecodeFailure {
  offset: number;
  length: number;
  reason: P1FrameErrorReason | P1ParseErrorReason;
  detail: string;
}

/** Plain data (JSON-able) so `decode p1 --json` can print it as is. */
export interface P1Decoding {
  bytes: number;
  /** The input was 7E1 characters captured as 8 bits; the parity bit was stripped first. */
  parityStripped: boolean;
  telegrams: P1DecodedTelegram[];
  failures: P1DecodeFailure[];
  /** Bytes outside any telegram (line noise, gateway trailers, a telegram tail at the start). */
  skippedBytes: number;
}

export interface P1DecodeOptions {
  /** Time for values when a telegram carries none (DSMR 2.2/3); default now. */
  receivedAt?: number;
  zone?: P1TimeZone;
}

/** Decodes a capture (one or more telegrams, any garbage around them). Never throws. */
export function decodeP1Input(input: Buffer, options: P1DecodeOptions = {}): P1Decoding {
  const parityStripped = looksLike7E1(input);
  const bytes = parityStripped ? stripParity(input) : input;
  const framer = new P1Framer();
  const events = [...framer.push(bytes), ...framer.finish()];
  const result: P1Decoding = {
    bytes: input.length,
    parityStripped,
    telegrams: [],
    failures: [],
    skippedBytes: 0,
  };
  const receivedAt = options.receivedAt ?? Date.now();
  for (const ev of events) {
    if (ev.type === 'error') {
      const { offset, length, reason, detail } = ev.error;
      result.failures.push({ offset, length, reason, detail });
      continue;
    }
    const parsed = parseP1Frame(ev.frame, options.zone ? { zone: options.zone } : {});
    if (!parsed.ok) {
      result.failures.push({ offset: ev.frame.offset, length: ev.frame.bytes.length, ...parsed.error });
      continue;
    }
    const signals = mapP1Telegram(parsed.telegram, { receivedAt });
    result.telegrams.push({ offset: ev.frame.offset, telegram: parsed.telegram, signals });
  }
  result.skippedBytes = framer.skippedBytes;
  return result;
}

/** Human-readable report: one block per telegram, one line per object with its catalogue key. */
export function formatP1Decoding(result: P1Decoding): string {
  const out: string[] = [];
  if (result.parityStripped) out.push('Input is 7E1 data captured as 8 bits: parity bit stripped.');
  result.telegrams.forEach((d, i) => out.push(...formatTelegram(d, i + 1)));
  for (const f of result.failures)
    out.push(`Rejected at byte ${f.offset} (${f.length} bytes): ${f.reason}: ${f.detail}`);
  const n = result.telegrams.length;
  out.push(
    `${n} telegram${n === 1 ? '' : 's'} decoded, ${result.failures.length} rejected, ` +
      `${result.skippedBytes} byte${result.skippedBytes === 1 ? '' : 's'} outside telegrams.`,
  );
  return out.join('\n') + '\n';
}

function formatTelegram(d: P1DecodedTelegram, index: number): string[] {
  const t = d.telegram;
  const lines = [`Telegram ${index} at byte ${d.offset}: ${t.version.label}`];
  lines.push(`  header     /${printable(t.header.raw)} (manufacturer ${printable(t.header.manufacturer)})`);
  if (t.equipmentId) lines.push(`  equipment  ${idText(t.equipmentId)} (${t.equipmentId.obis})`);
  lines.push(`  time       ${t.timestamp ? formatTime(t.timestamp) : 'none in telegram'}`);
  lines.push(
    `  CRC        ${t.crc ? `${formatCrc(t.crc.computed)} valid` : 'none (telegram ends in a bare "!")'}` +
      (t.lineEnding === 'crlf' ? '' : `, line ends ${t.lineEnding}`),
  );
  for (const m of d.signals.meta.mbus) {
    const type =
      m.deviceType === null
        ? 'type unknown'
        : `type ${m.deviceType}${m.deviceTypeName ? ` (${m.deviceTypeName})` : ''}`;
    lines.push(`  M-Bus ${m.channel}    ${type}, id ${m.equipmentId ?? 'none'}`);
  }
  const byObis = new Map<string, P1Sample[]>();
  for (const s of d.signals.samples) byObis.set(s.obis, [...(byObis.get(s.obis) ?? []), s]);
  const width = Math.max(12, ...t.objects.map((o) => o.obis.length));
  for (const obj of t.objects) {
    const mapped = (byObis.get(obj.obis) ?? []).map(formatSample).join(', ');
    const why = d.signals.unmapped.find((u) => u.obis === obj.obis)?.why;
    const note = mapped
      ? `  → ${mapped}`
      : why && why !== 'no catalogue signal'
        ? `  (not mapped: ${why})`
        : '';
    lines.push(
      `  ${obj.obis.padEnd(width)} ${formatValue(obj)}${note}${obj.issue ? `  [${obj.issue}]` : ''}`,
    );
  }
  for (const issue of t.issues)
    lines.push(`  line ${issue.line}: ${issue.problem}: ${printable(issue.text)}`);
  return lines;
}

function formatSample(s: P1Sample): string {
  const unit = s.unit ? ` ${s.unit}` : '';
  const value = typeof s.value === 'string' ? JSON.stringify(s.value) : String(s.value);
  return `${s.key}${s.channel === undefined ? '' : `[${s.channel}]`} = ${value}${unit}`;
}

function formatValue(obj: P1Object): string {
  return valueText(obj.value);
}

function valueText(v: P1Value): string {
  switch (v.kind) {
    case 'empty':
      return '(empty)';
    case 'number':
      return v.unit ? `${v.raw} ${v.unit}` : v.raw;
    case 'text':
      return v.text === null ? printable(v.raw) : `${JSON.stringify(v.text)} (hex ${v.raw})`;
    case 'timestamp':
      return formatTime(v.at);
    case 'reading':
      return `${v.raw}${v.unit ? ` ${v.unit}` : ''} at ${formatTime(v.at)}`;
    case 'log':
      return (
        `${v.entries.length} event(s) of ${v.of}` +
        v.entries.map((e) => `; ${formatTime(e.at)} ${e.raw} ${e.unit ?? ''}`.trimEnd()).join('')
      );
    case 'peaks':
      return (
        `${v.entries.length} month peak(s)` +
        v.entries.map((e) => `; ${e.period.raw}: ${e.raw} ${e.unit ?? ''} at ${formatTime(e.at)}`).join('')
      );
    case 'groups':
      return v.groups.map((g) => `(${valueText(g)})`).join('');
  }
}

function idText(id: { raw: string; text: string | null }): string {
  return id.text === null ? id.raw : `${JSON.stringify(id.text)} (hex ${id.raw})`;
}

function formatTime(ts: P1Timestamp): string {
  if (ts.epochMs === null) return `${ts.raw} (not a valid date)`;
  return `${ts.raw} = ${new Date(ts.epochMs).toISOString().replace('.000Z', 'Z')}`;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
