import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMbusInput } from '../../../src-main/cli/decode-mbus.js';
import { encodeFrame } from '../../../src-main/protocol/mbus/frame.js';
import { MbusFrameParser } from '../../../src-main/protocol/mbus/parser.js';
import { decodeTelegramFrame } from '../../../src-main/protocol/mbus/telegram.js';
import { mutate } from '../harness.js';
import { mbusLongFrame } from './framing.js';
import { must, mustBeFinite, mustEqual } from './oracle.js';

/** libmbus's captured frames (hex text) as bytes; only long frames carry application data. */
export function mbusCorpus(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => Buffer.from(readFileSync(join(dir, f), 'latin1').replace(/[^0-9a-fA-F]/g, ''), 'hex'))
    .filter((b) => b[0] === 0x68 && b.length > 9);
}

/** Bytes a record can start with: common DIFs, so inserted records look like records. */
const DIFS = [0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x2f, 0x84];

/**
 * Mutates the user data of a long frame (after the CI field: header and records), then frames it again
 * with the right L fields and checksum, so the application layer decodes the mutation. One in ten
 * also breaks the frame afterwards.
 */
export function mutateMbus(base: Buffer, r: () => number): Buffer {
  const l = base[1] ?? 3;
  const c = base[4] ?? 0x08;
  const a = base[5] ?? 0;
  let ci = base[6] ?? 0x72;
  let data = [...base.subarray(7, 4 + l)];
  const ops = 1 + Math.floor(r() * 3);
  for (let k = 0; k < ops; k++) {
    const op = Math.floor(r() * 6);
    // Mostly the records (after the 12-byte header of CI 0x72), sometimes the header too.
    const from = data.length > 12 && r() < 0.8 ? 12 : 0;
    const at = from + Math.floor(r() * Math.max(1, data.length - from));
    if (op === 0 && data.length) data[at % data.length] = Math.floor(r() * 256);
    else if (op === 1 && data.length) data[at % data.length]! ^= 1 << Math.floor(r() * 8);
    else if (op === 2) data.splice(at, 0, DIFS[Math.floor(r() * DIFS.length)]!, Math.floor(r() * 256));
    else if (op === 3) data.splice(at, 1 + Math.floor(r() * 4));
    else if (op === 4 && r() < 0.3)
      ci = [0x72, 0x76, 0x7a, 0x73, 0x78, Math.floor(r() * 256)][Math.floor(r() * 6)]!;
    else data = [...mutate(Buffer.from(data), r)];
  }
  const frame = mbusLongFrame(c, a, ci, Buffer.from(data.slice(0, 252)));
  return r() < 0.1 ? mutate(frame, r) : frame;
}

/** Telegrams whose records decoded (counted by the check, so a decoder that never succeeds shows). */
export const mbusStats = { decoded: 0 };

/** Decodes one fuzzed input; returns whether a frame reached the application layer. Throws on a broken oracle. */
export function checkMbus(input: Buffer): boolean {
  let reached = false;
  const p = new MbusFrameParser();
  for (const ev of [...p.push(input), ...p.flush()]) {
    if (ev.kind !== 'frame') continue;
    mustEqual(encodeFrame(ev.frame), ev.raw, 'encode(decode(frame)) = frame');
    if (ev.frame.type !== 'long' && ev.frame.type !== 'control') continue;
    reached = true;
    const t = decodeTelegramFrame(ev.frame);
    if (t.ok) {
      mbusStats.decoded++;
      mustBeFinite(t.value);
    } else must(t.error.message.length > 0, 'an application error says why');
  }
  // The CLI path (hex or binary detection, every frame) never throws and its numbers are finite too.
  const r = decodeMbusInput(input);
  for (const f of r.frames) if (f.ok) mustBeFinite(f.signals);
  return reached;
}
