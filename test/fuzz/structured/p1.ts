import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeP1Input } from '../../../src-main/cli/decode-p1.js';
import { encodeP1Telegram } from '../../../src-main/protocol/p1/encoder.js';
import { mutate } from '../harness.js';
import { p1Crc } from './framing.js';
import { must, mustBeFinite, mustEqual } from './oracle.js';

/** dsmr_parser's telegrams, each split into header, object lines and whether it ends with a CRC. */
export function p1Corpus(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f)))
    .filter((b) => b.includes(0x2f) && b.includes(0x21));
}

interface Parts {
  header: string;
  lines: string[];
  crc: boolean;
}

function split(telegram: Buffer): Parts {
  const text = telegram.toString('latin1');
  const body = text.slice(text.indexOf('/'), text.lastIndexOf('!'));
  const [header = '', ...rest] = body.split(/\r?\n/);
  return {
    header: header.slice(1),
    lines: rest.filter((l) => l !== ''),
    crc: /^![0-9A-Fa-f]{4}/.test(text.slice(text.lastIndexOf('!'))),
  };
}

/** Characters that would end or restart a telegram or a line are swapped for ones that keep it whole. */
const inside = (s: string): string =>
  s.replace(/[!/\r\n]/g, (ch) => ({ '!': '1', '/': '7', '\r': ' ', '\n': ')' })[ch]!);

/**
 * Mutates object lines (OBIS codes, values, units, parentheses), deletes, duplicates or swaps lines,
 * then builds the telegram again with "/", "!" and a fresh CRC, so the OBIS parser sees the mutation.
 * One in ten also breaks the telegram afterwards.
 */
export function mutateP1(base: Buffer, r: () => number): Buffer {
  const t = split(base);
  const lines = [...t.lines];
  const ops = 1 + Math.floor(r() * 3);
  for (let k = 0; k < ops && lines.length; k++) {
    const i = Math.floor(r() * lines.length);
    const op = Math.floor(r() * 5);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[Math.floor(r() * lines.length)]!);
    else if (op === 2) {
      const j = Math.floor(r() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    } else lines[i] = inside(mutate(Buffer.from(lines[i]!, 'latin1'), r).toString('latin1'));
  }
  const body = `/${t.header}\r\n\r\n${lines
    .filter((l) => l !== '')
    .map((l) => `${l}\r\n`)
    .join('')}!`;
  const telegram = Buffer.from(`${body}${t.crc ? p1Crc(Buffer.from(body, 'latin1')) : ''}\r\n`, 'latin1');
  return r() < 0.1 ? mutate(telegram, r) : telegram;
}

/** Telegrams whose round trip was checked (counted by the check, so an oracle that never runs shows). */
export const p1Stats = { roundTrips: 0 };

const CANONICAL = /^\/[^\r\n/!]*\r\n\r\n(?:[^\r\n/!]+\r\n)*!(?:[0-9A-F]{4})?\r\n$/;

/** Decodes one fuzzed input; returns whether a telegram reached the OBIS parser. Throws on a broken oracle. */
export function checkP1(input: Buffer): boolean {
  const r = decodeP1Input(input, { receivedAt: 0 });
  for (const f of r.failures) must(/^[a-z_]+$/.test(f.reason), `a refusal has a reason code (${f.reason})`);
  mustBeFinite(r.telegrams);
  // The round trip holds for a telegram in the shape meters send (header, one blank line, object lines).
  const canonical = CANONICAL.test(input.toString('latin1'));
  for (const { telegram: t } of r.telegrams) {
    if (!canonical) continue;
    // encode(decode(x)) = x: the header and every line (understood or reported as an issue) give the telegram back.
    const lines = [
      ...t.objects.map((o) => ({ n: o.line, s: o.text })),
      ...t.issues.map((i) => ({ n: i.line, s: i.text })),
    ]
      .sort((a, b) => a.n - b.n)
      .map((l) => l.s);
    const again = encodeP1Telegram(t.header.raw, lines, { crc: t.crc !== null });
    p1Stats.roundTrips++;
    mustEqual(again.toString('latin1'), input.toString('latin1'), 'encode(decode(telegram)) = telegram');
  }
  return r.telegrams.length > 0;
}
