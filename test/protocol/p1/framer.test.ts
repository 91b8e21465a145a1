import { describe, expect, it } from 'vitest';
import { P1Framer, type P1FrameEvent } from '../../../src-main/protocol/p1/framer.js';
import { encodeP1Telegram } from '../../../src-main/protocol/p1/encoder.js';
import { corpusBytes, corpusNames } from './corpus.js';
import { randomSplit, seeded } from './random.js';

function feed(chunks: Buffer[], framer = new P1Framer()): P1FrameEvent[] {
  return [...chunks.flatMap((c) => framer.push(c)), ...framer.finish()];
}

function frames(events: P1FrameEvent[]): Buffer[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame.bytes] : []));
}

function errors(events: P1FrameEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'error' ? [e.error.reason] : []));
}

/** The telegram part of a corpus file: EasyMeter gateways append lines after "!". */
function telegramOf(bytes: Buffer): Buffer {
  const bang = bytes.indexOf('!');
  return bytes.subarray(0, bytes.indexOf('\n', bang) + 1);
}

const names = corpusNames('dsmr_parser');

describe('P1Framer', () => {
  it.each(names)('yields %s whole in any chunking', (name) => {
    const bytes = corpusBytes('dsmr_parser', name);
    const rand = seeded(name.length * 7919);
    for (const max of [1, 3, 17, 64, 2000]) {
      const events = feed(randomSplit(bytes, rand, max));
      expect(errors(events)).toEqual([]);
      expect(frames(events)).toEqual([telegramOf(bytes)]);
    }
  });

  it('separates telegrams sent back to back, with and without CRC', () => {
    const parts = ['dsmr_v4_2_kaifa', 'dsmr_v2_2_iskra_mt382', 'dsmr_v5_iskra_mt382'].map((n) =>
      corpusBytes('dsmr_parser', n),
    );
    const events = feed(randomSplit(Buffer.concat(parts), seeded(42), 50));
    expect(errors(events)).toEqual([]);
    expect(frames(events)).toEqual(parts);
    const offsets = events.flatMap((e) => (e.type === 'frame' ? [e.frame.offset] : []));
    expect(offsets).toEqual([0, parts[0]!.length, parts[0]!.length + parts[1]!.length]);
  });

  it('skips garbage between telegrams and counts it', () => {
    const a = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
    const b = corpusBytes('dsmr_parser', 'be_fluvius_v1_7_1');
    const rand = seeded(7);
    // Noise without "/" (a "/" would open a telegram and is covered below).
    const noise = Buffer.from(
      Array.from({ length: 500 }, () => Math.floor(rand() * 256)).map((x) => (x === 0x2f ? 0 : x)),
    );
    const framer = new P1Framer();
    const events = feed(randomSplit(Buffer.concat([noise, a, noise, b, noise]), rand, 40), framer);
    expect(errors(events)).toEqual([]);
    expect(frames(events)).toEqual([a, b]);
    expect(framer.skippedBytes).toBe(1500);
  });

  it('reports a telegram cut short by the next one and keeps the next', () => {
    const whole = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
    const events = feed([whole.subarray(0, 400), whole]);
    expect(errors(events)).toEqual(['truncated']);
    expect(frames(events)).toEqual([whole]);
    const cut = events.find((e) => e.type === 'error');
    expect(cut?.type === 'error' && cut.error).toMatchObject({ offset: 0, length: 400 });
  });

  it('reports a telegram still open at the end of input as truncated, never as a telegram', () => {
    const whole = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
    expect(feed([whole.subarray(0, whole.length - 3)]).map((e) => e.type)).toEqual(['error']);
    expect(feed([Buffer.from('no telegram here')])).toEqual([]);
  });

  it('rejects a bad CRC and names LF-only line ends as the likely cause', () => {
    const good = corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa');
    const lfOnly = Buffer.from(good.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
    const events = feed([lfOnly]);
    expect(events).toHaveLength(1);
    const [ev] = events;
    expect(ev?.type).toBe('error');
    if (ev?.type !== 'error') return;
    expect(ev.error.reason).toBe('bad_crc');
    expect(ev.error.lineEnding).toBe('lf');
    expect(ev.error.detail).toContain('with CR LF the CRC matches');
    expect(ev.error.crc).toMatchObject({ text: '6796', declared: 0x6796 });
  });

  it('accepts LF-only telegrams that carry no CRC and says so', () => {
    const crlf = corpusBytes('dsmr_parser', 'dsmr_v2_2_iskra_mt382');
    const events = feed([Buffer.from(crlf.toString('latin1').replaceAll('\r\n', '\n'), 'latin1')]);
    expect(events).toHaveLength(1);
    expect(events[0]?.type === 'frame' && events[0].frame.lineEnding).toBe('lf');
  });

  it('accepts CRCs with leading zeros dropped and lower-case digits', () => {
    const t = encodeP1Telegram('XYZ5test', ['1-0:1.8.1(000001.000*kWh)'], { crc: true });
    const bang = t.indexOf('!');
    const crc = t.toString('latin1', bang + 1, bang + 5);
    const lower = Buffer.concat([t.subarray(0, bang + 1), Buffer.from(`${crc.toLowerCase()}\r\n`)]);
    expect(frames(feed([lower]))).toHaveLength(1);
  });

  it('accepts a NUL between the CRC and the line end', () => {
    const good = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
    const bang = good.indexOf('!');
    const withNul = Buffer.concat([good.subarray(0, bang + 5), Buffer.from('\x00\r\n', 'latin1')]);
    const events = feed([withNul]);
    expect(events.map((e) => e.type)).toEqual(['frame']);
    expect(events[0]?.type === 'frame' && events[0].frame.crc?.text).toBe('6EEE');
  });

  it('rejects a CRC field that is not hex, or too long, and recovers', () => {
    const good = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
    const bang = good.indexOf('!');
    const body = good.subarray(0, bang + 1);
    const events = feed([body, Buffer.from('ZZZZ\r\n'), body, Buffer.from('6EEE6EEE6EEE\r\n'), good]);
    expect(errors(events)).toEqual(['bad_crc_field', 'bad_crc_field']);
    expect(frames(events)).toEqual([good]);
  });

  it('keeps memory bounded: endless garbage is dropped and an endless telegram is cut off', () => {
    const framer = new P1Framer({ maxTelegramBytes: 4096 });
    const noise = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 32; i++) expect(framer.push(noise)).toEqual([]);
    expect(framer.pending).toBe(0);
    expect(framer.skippedBytes).toBe(32 * noise.length);

    const events = [...framer.push(Buffer.from('/')), ...framer.push(noise)];
    expect(errors(events)).toEqual(['too_long']);
    expect(framer.pending).toBe(0);
    const good = corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa');
    expect(frames(framer.push(good))).toEqual([good]);
  });

  it('reset drops a telegram in progress without a report', () => {
    const framer = new P1Framer();
    const good = corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa');
    framer.push(good.subarray(0, 100));
    framer.reset();
    expect(framer.finish()).toEqual([]);
    expect(frames(framer.push(good.subarray(100)))).toEqual([]);
  });
});
