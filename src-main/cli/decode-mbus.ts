import type { MbusError } from '../protocol/mbus/errors.js';
import { MbusFrameParser } from '../protocol/mbus/parser.js';
import { fixedToVariableMedium } from '../protocol/mbus/fixed-data.js';
import type { MbusValueFields } from '../protocol/mbus/records.js';
import { mapRecordsToSignals, type MbusSignalKey } from '../protocol/mbus/signal-map.js';
import { decodeTelegramFrame, summarizeFrame, type MbusTelegram } from '../protocol/mbus/telegram.js';
import type { MbusUserData } from '../protocol/mbus/user-data.js';
import { formatTelegram } from '../protocol/mbus/format.js';

export interface MbusMappedSignal {
  /** Index into the telegram's records (or fixed-structure counters). */
  record: number;
  key: MbusSignalKey;
  value: number | string;
  unit: string;
}

export type DecodedMbusFrame =
  | { ok: true; offset: number; raw: string; telegram: MbusTelegram; signals: MbusMappedSignal[] }
  | { ok: false; offset: number; raw: string; error: MbusError; telegram?: MbusTelegram };

/** JSON-able result of `ems-commissioner decode mbus FILE`. */
export interface MbusDecodeResult {
  input: 'hex' | 'binary';
  byteCount: number;
  /** Input-level problem (not hex, empty); frames is then empty. */
  error?: MbusError;
  frames: DecodedMbusFrame[];
}

const HEX_TEXT = /^[\s0-9a-fA-FxX,:;-]*$/;

/**
 * Accepts a frame (or a capture of several) as hex text — any whitespace or CRLF, optional 0x
 * prefixes, separators , : ; - — or as raw bytes, and decodes every frame found in it.
 */
export function decodeMbusInput(input: Buffer): MbusDecodeResult {
  const text = input.toString('latin1');
  // Binary frames start with 0x68, 0x10 or 0xE5, none of which can appear in hex text.
  const isHex = input.length > 0 && HEX_TEXT.test(text);
  let bytes: Buffer = input;
  if (isHex) {
    const parsed = parseHexText(text);
    if (!parsed.ok) return { input: 'hex', byteCount: 0, error: parsed.error, frames: [] };
    bytes = parsed.bytes;
  }
  const result: MbusDecodeResult = { input: isHex ? 'hex' : 'binary', byteCount: bytes.length, frames: [] };
  if (bytes.length === 0)
    return { ...result, error: { code: 'premature-end', message: 'no bytes in the input' } };
  const parser = new MbusFrameParser();
  let offset = 0;
  for (const ev of [...parser.push(bytes), ...parser.flush()]) {
    const raw = ev.raw
      .toString('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1 ');
    if (ev.kind === 'frame') {
      const t = decodeTelegramFrame(ev.frame);
      if (t.ok)
        result.frames.push({
          ok: true,
          offset,
          raw,
          telegram: t.value,
          signals: signalsOf(t.value.userData),
        });
      else
        result.frames.push({
          ok: false,
          offset,
          raw,
          error: t.error,
          telegram: { frame: summarizeFrame(ev.frame) },
        });
    } else if (ev.kind === 'error') {
      result.frames.push({ ok: false, offset, raw, error: ev.error });
    } else {
      result.frames.push({
        ok: false,
        offset,
        raw,
        error: { code: 'bad-frame', message: `${ev.raw.length} byte(s) that do not start a frame` },
      });
    }
    offset += ev.raw.length;
  }
  return result;
}

function parseHexText(text: string): { ok: true; bytes: Buffer } | { ok: false; error: MbusError } {
  const tokens = text.split(/[\s,:;-]+/).filter((t) => t.length > 0);
  let digits = '';
  for (const token of tokens) {
    const t = token.replace(/^0x/i, '');
    if (!/^[0-9a-fA-F]*$/.test(t) || t.length % 2 !== 0) {
      return {
        ok: false,
        error: { code: 'bad-hex', message: `"${token}" is not a whole number of hex bytes` },
      };
    }
    digits += t;
  }
  return { ok: true, bytes: Buffer.from(digits, 'hex') };
}

function signalsOf(userData: MbusUserData | undefined): MbusMappedSignal[] {
  let entries: [number, MbusValueFields][] = [];
  let medium = 0x00;
  if (userData?.kind === 'variable') {
    entries = userData.records.flatMap((r, i): [number, MbusValueFields][] =>
      r.type === 'data' ? [[i, r]] : [],
    );
    medium = userData.header?.medium ?? 0x00;
  } else if (userData?.kind === 'fixed') {
    entries = userData.fixed.counters.map((c, i): [number, MbusValueFields] => [i, c]);
    medium = fixedToVariableMedium(userData.fixed.medium);
  }
  const mapped = mapRecordsToSignals(
    entries.map(([, v]) => v),
    medium,
  );
  return entries.flatMap(([record], j) => {
    const s = mapped[j];
    return s ? [{ record, ...s }] : [];
  });
}

/** Multi-line text for a technician: each frame's header fields, then one line per record. */
export function formatMbusDecoding(result: MbusDecodeResult): string {
  if (result.error) return `Cannot decode the input: ${result.error.message}\n`;
  const parts = result.frames.map((f, i) => {
    const title = `Frame ${i + 1} at byte ${f.offset} (${f.raw.split(' ').length} bytes)`;
    if (!f.ok)
      return `${title}: ERROR ${f.error.code}: ${f.error.message}${f.error.offset === undefined ? '' : ` (user-data offset ${f.error.offset})`}\n  ${f.raw}`;
    return `${title}\n${formatTelegram(f.telegram, new Map(f.signals.map((s) => [s.record, `${s.key} = ${s.value} ${s.unit}`.trim()])))}`;
  });
  return parts.join('\n\n') + '\n';
}
