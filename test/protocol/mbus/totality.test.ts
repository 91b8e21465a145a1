import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput, formatMbusDecoding } from '../../../src-main/cli/decode-mbus.js';
import { encodeFrame } from '../../../src-main/protocol/mbus/frame.js';
import { decodeTelegram } from '../../../src-main/protocol/mbus/telegram.js';
import { decodeUserData } from '../../../src-main/protocol/mbus/user-data.js';
import { corpusFile, listCorpus } from './corpus.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function userDataOfCorpus(): { ci: number; data: Buffer }[] {
  const out: { ci: number; data: Buffer }[] = [];
  for (const folder of ['libmbus/test-frames', 'libmbus/error-frames']) {
    for (const f of listCorpus(folder, '.hex')) {
      const r = decodeMbusInput(readFileSync(corpusFile(folder, f)));
      const frame = r.frames[0];
      const bytes = Buffer.from(frame?.raw.replace(/ /g, '') ?? '', 'hex');
      if (bytes[0] === 0x68 && bytes.length > 9)
        out.push({ ci: bytes[6] ?? 0, data: bytes.subarray(7, bytes.length - 2) });
    }
  }
  return out;
}

describe('decoding is total: every input gives a result or a typed error, never an exception', () => {
  const seeds = userDataOfCorpus();

  it('survives mutated corpus telegrams with valid framing (the application layer sees the damage)', () => {
    const rnd = random(7);
    let errors = 0;
    for (const { ci, data } of seeds) {
      for (let round = 0; round < 40; round++) {
        const d = Buffer.from(data);
        const kind = Math.floor(rnd() * 3);
        if (kind === 0) for (let i = 0; i < 3; i++) d[Math.floor(rnd() * d.length)] = Math.floor(rnd() * 256);
        const mutated =
          kind === 1
            ? d.subarray(0, Math.floor(rnd() * d.length))
            : kind === 2
              ? Buffer.concat([d, Buffer.from([Math.floor(rnd() * 256)])])
              : d;
        const frame = encodeFrame({
          type: 'long',
          control: 0x08,
          address: 1,
          ci,
          data: mutated.subarray(0, 252),
        });
        const result = decodeTelegram(frame);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          errors += 1;
          expect(result.error.message.length).toBeGreaterThan(0);
        }
        expect(typeof formatMbusDecoding(decodeMbusInput(frame))).toBe('string');
      }
    }
    expect(errors).toBeGreaterThan(0);
  });

  it('survives random user data under every CI value', () => {
    const rnd = random(11);
    for (let ci = 0; ci <= 0xff; ci++) {
      for (let round = 0; round < 20; round++) {
        const data = Buffer.from(
          Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256)),
        );
        const result = decodeUserData(ci, data);
        expect(typeof result.ok).toBe('boolean');
      }
    }
  });

  it('survives random bytes at the link layer', () => {
    const rnd = random(13);
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)),
      );
      if (round % 3 === 0) bytes[0] = 0x68;
      expect(typeof decodeTelegram(bytes).ok).toBe('boolean');
      expect(Array.isArray(decodeMbusInput(bytes).frames)).toBe(true);
    }
  });
});
