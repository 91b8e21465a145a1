import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput } from '../../../src-main/cli/decode-mbus.js';
import { encodeFrame } from '../../../src-main/protocol/mbus/frame.js';
import { MbusFrameParser, type MbusParseEvent } from '../../../src-main/protocol/mbus/parser.js';
import { corpusFile, listCorpus } from './corpus.js';

/** Small deterministic PRNG so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpusFrames(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const folder of ['libmbus/test-frames', 'libmbus/error-frames']) {
    for (const f of listCorpus(folder, '.hex')) {
      const r = decodeMbusInput(readFileSync(corpusFile(folder, f)));
      const frame = r.frames[0];
      if (r.frames.length !== 1 || !frame) throw new Error(`${folder}/${f} is not one frame`);
      out.push({ name: `${folder}/${f}`, bytes: Buffer.from(frame.raw.replace(/ /g, ''), 'hex') });
    }
  }
  return out;
}

function feed(parser: MbusFrameParser, bytes: Buffer, rnd: () => number): MbusParseEvent[] {
  const events: MbusParseEvent[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const n = 1 + Math.floor(rnd() * 24);
    events.push(...parser.push(bytes.subarray(pos, pos + n)));
    pos += n;
  }
  return events;
}

const frames = corpusFrames();

describe('MbusFrameParser with real captured frames', () => {
  it('uses all 96 link-valid corpus frames', () => expect(frames).toHaveLength(96));

  it('finds every frame when it arrives in random chunks', () => {
    const rnd = random(1);
    for (const { name, bytes } of frames) {
      for (let round = 0; round < 5; round++) {
        const p = new MbusFrameParser();
        const events = feed(p, bytes, rnd);
        expect(
          events.map((e) => e.kind),
          name,
        ).toEqual(['frame']);
        expect(events[0]?.raw, name).toEqual(bytes);
        expect(p.pending).toBe(0);
      }
    }
  });

  it('finds every frame after random garbage, split in random chunks', () => {
    const rnd = random(2);
    for (const { name, bytes } of frames) {
      const garbage = Buffer.from(
        Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)),
      );
      const p = new MbusFrameParser();
      const events = [...feed(p, Buffer.concat([garbage, bytes]), rnd), ...p.flush()];
      const last = events.at(-1);
      expect(last?.kind, name).toBe('frame');
      expect(last?.raw, name).toEqual(bytes);
      const consumed = events.reduce((n, e) => n + e.raw.length, 0);
      expect(consumed, name).toBe(garbage.length + bytes.length);
    }
  });

  it('reports a bad checksum for every frame with a corrupted byte and recovers on the next frame', () => {
    const rnd = random(3);
    frames.forEach(({ name, bytes }, i) => {
      const bad = Buffer.from(bytes);
      const at = 4 + Math.floor(rnd() * (bad.length - 5));
      bad[at] = (bad[at] ?? 0) ^ (1 + Math.floor(rnd() * 255));
      const next = frames[(i + 1) % frames.length]?.bytes ?? Buffer.from([0xe5]);
      const p = new MbusFrameParser();
      const events = feed(p, Buffer.concat([bad, next]), rnd);
      expect(events[0], name).toMatchObject({ kind: 'error', error: { code: 'bad-checksum' }, raw: bad });
      expect(events.at(-1)?.kind, name).toBe('frame');
      expect(events.at(-1)?.raw, name).toEqual(next);
    });
  });

  it('emits E5 acks, short frames and long frames back to back', () => {
    const p = new MbusFrameParser();
    const short = encodeFrame({ type: 'short', control: 0x5b, address: 3 });
    const long = frames[0]?.bytes ?? Buffer.alloc(0);
    expect(long.length).toBeGreaterThan(0);
    const events = p.push(Buffer.concat([Buffer.from([0xe5]), short, long, Buffer.from([0xe5])]));
    expect(events.map((e) => (e.kind === 'frame' ? e.frame.type : e.kind))).toEqual([
      'ack',
      'short',
      'long',
      'ack',
    ]);
  });

  it('treats a long header with L < 3 as a bad frame and resynchronises', () => {
    const p = new MbusFrameParser();
    const events = p.push(
      Buffer.concat([Buffer.from([0x68, 0x00, 0x00, 0x68, 0x08, 0x16]), Buffer.from([0xe5])]),
    );
    expect(events[0]).toMatchObject({ kind: 'error', error: { code: 'bad-frame' } });
    expect(events.at(-1)).toMatchObject({ kind: 'frame', frame: { type: 'ack' } });
  });

  it('never buffers more than one maximum-size frame of noise', () => {
    const rnd = random(4);
    const p = new MbusFrameParser();
    for (let i = 0; i < 200; i++) {
      p.push(Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256))));
      expect(p.pending).toBeLessThanOrEqual(261);
    }
  });
});
