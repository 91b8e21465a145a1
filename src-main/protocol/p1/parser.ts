import type { P1Frame } from './framer.js';
import { decodeValue } from './layouts.js';
import { formatObis, lexContinuation, lexObisLine } from './obis.js';
import { CET, type P1TimeZone } from './timestamp.js';
import type {
  P1Header,
  P1Id,
  P1Issue,
  P1MbusDevice,
  P1Object,
  P1ParseResult,
  P1Telegram,
  P1Version,
} from './types.js';

export interface P1ParseOptions {
  /** Time zone of the meter's wall clock; CET (NL, BE, LU, AT, HU) by default. */
  zone?: P1TimeZone;
}

/**
 * Parses a framed telegram. Never throws: a frame without header or "!" line is an error result,
 * lines that are not objects become issues and the rest of the telegram is kept.
 */
export function parseP1Frame(frame: P1Frame, options: P1ParseOptions = {}): P1ParseResult {
  const zone = options.zone ?? CET;
  const lines = frame.bytes.toString('latin1').split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!first.startsWith('/')) {
    return { ok: false, error: { reason: 'no_header', detail: 'the telegram does not start with "/"' } };
  }
  const end = lines.findIndex((l) => l.startsWith('!'));
  if (end < 0) return { ok: false, error: { reason: 'no_end', detail: 'the telegram has no "!" line' } };

  const eol = frame.lineEnding === 'lf' ? '\n' : '\r\n';
  const objects: P1Object[] = [];
  const issues: P1Issue[] = [];
  let pending: { line: number; text: string; code: P1Object['code']; groups: string[] } | undefined;
  const flush = (): void => {
    if (!pending) return;
    const { value, issue } = decodeValue(pending.code, pending.groups, zone);
    const obj: P1Object = {
      obis: formatObis(pending.code),
      code: pending.code,
      line: pending.line,
      text: pending.text,
      value,
    };
    if (issue !== undefined) obj.issue = issue;
    objects.push(obj);
    pending = undefined;
  };
  for (let i = 1; i < end; i++) {
    const text = lines[i] ?? '';
    if (text === '') continue;
    const lexed = lexObisLine(text);
    if (lexed) {
      flush();
      pending = { line: i + 1, text, ...lexed };
      continue;
    }
    const more = lexContinuation(text);
    if (more && pending) {
      pending.groups.push(...more);
      pending.text += `${eol}${text}`;
      continue;
    }
    // A value line may only continue the object right above it, not one before a broken line.
    flush();
    issues.push({ line: i + 1, text, problem: 'not an OBIS object line' });
  }
  flush();

  const telegram: P1Telegram = {
    header: headerOf(first.slice(1)),
    version: versionOf(objects, frame.crc !== null),
    timestamp: null,
    equipmentId: equipmentIdOf(objects),
    crc: frame.crc,
    lineEnding: frame.lineEnding,
    objects,
    mbus: mbusDevicesOf(objects),
    issues,
  };
  const clock = find(objects, '0-0:1.0.0');
  if (clock?.value.kind === 'timestamp') telegram.timestamp = clock.value.at;
  return { ok: true, telegram };
}

function find(objects: P1Object[], obis: string): P1Object | undefined {
  return objects.find((o) => o.obis === obis);
}

function headerOf(raw: string): P1Header {
  return { raw, manufacturer: raw.slice(0, 3), identification: raw.slice(4) };
}

function rawText(obj: P1Object | undefined): string | null {
  if (!obj) return null;
  const v = obj.value;
  if (v.kind === 'text' || v.kind === 'number') return v.raw;
  return null;
}

function versionOf(objects: P1Object[], hasCrc: boolean): P1Version {
  const dsmr = rawText(find(objects, '1-3:0.2.8'));
  if (dsmr !== null) {
    const v = /^\d\d$/.test(dsmr) ? `${dsmr[0]}.${dsmr[1]}` : dsmr;
    return { obis: '1-3:0.2.8', raw: dsmr, dsmr: v, label: `DSMR ${v}` };
  }
  const emucs = rawText(find(objects, '0-0:96.1.4'));
  if (emucs !== null) {
    // Fluvius prefixes its e-MUCS edition with the DSMR base version it extends: 50217 is DSMR 5.0.
    const v = /^\d{3,}$/.test(emucs) ? `${emucs[0]}.${emucs[1]}` : null;
    return { obis: '0-0:96.1.4', raw: emucs, dsmr: v, label: `e-MUCS (BE) P1 version ${emucs}` };
  }
  if (hasCrc) return { obis: null, raw: null, dsmr: '4+', label: 'DSMR 4+ (CRC, no version object)' };
  if (objects.some((o) => o.code.f !== null)) {
    return { obis: null, raw: null, dsmr: null, label: 'IEC 62056-21 data readout (not DSMR, no CRC)' };
  }
  return { obis: null, raw: null, dsmr: '2.2/3.0', label: 'DSMR 2.2/3.0 (no CRC, no version object)' };
}

function idOf(obj: P1Object | undefined): P1Id | null {
  if (!obj || obj.value.kind !== 'text') return null;
  return { obis: obj.obis, raw: obj.value.raw, text: obj.value.text };
}

const EQUIPMENT_ID_CODES = [
  '0-0:96.1.1',
  '0-0:96.1.0',
  '0-0:42.0.0',
  '0-0:96.1.255*255',
  '1-0:0.0.0',
  '1-0:0.0.0*255',
];

function equipmentIdOf(objects: P1Object[]): P1Id | null {
  for (const code of EQUIPMENT_ID_CODES) {
    const id = idOf(find(objects, code));
    if (id) return id;
  }
  return null;
}

/** Channels are taken from 0-n: objects only; 1-3:0.2.8 has B = 3 without being an M-Bus device. */
function mbusDevicesOf(objects: P1Object[]): P1MbusDevice[] {
  const byChannel = new Map<number, P1MbusDevice>();
  for (const obj of objects) {
    const { a, b, c, d, e } = obj.code;
    if (a !== 0 || b === 0) continue;
    let dev = byChannel.get(b);
    if (!dev) {
      dev = { channel: b, deviceType: null, equipmentId: null, reading: null };
      byChannel.set(b, dev);
    }
    const v = obj.value;
    const ref = `${c}.${d}.${e}`;
    if (ref === '24.1.0' && v.kind === 'number') dev.deviceType = v.value;
    else if (ref === '96.1.0' || ref === '96.1.1') dev.equipmentId ??= idOf(obj);
    else if ((ref === '24.2.1' || ref === '24.2.3' || ref === '24.3.0') && v.kind === 'reading') {
      // 24.2.1 is the temperature-corrected value where a meter sends both (Belgium: 24.2.3 is not).
      if (!dev.reading || ref === '24.2.1') {
        const { kind: _kind, ...reading } = v;
        dev.reading = { obis: obj.obis, ...reading };
      }
    }
  }
  return [...byChannel.values()].sort((x, y) => x.channel - y.channel);
}
