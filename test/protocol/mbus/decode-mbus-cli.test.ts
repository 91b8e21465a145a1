import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput, formatMbusDecoding } from '../../../src-main/cli/decode-mbus.js';
import { corpusFile } from './corpus.js';

const KAMSTRUP = readFileSync(corpusFile('libmbus/test-frames', 'kamstrup_multical_601.hex'));

describe('decodeMbusInput', () => {
  it('accepts hex with any whitespace, CRLF, 0x prefixes and separators, and raw bytes', () => {
    const hex = KAMSTRUP.toString('latin1').trim();
    const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
    const variants = [
      hex,
      hex.replace(/ /g, '\r\n'),
      hex.replace(/ /g, ''),
      hex
        .split(' ')
        .map((b) => `0x${b.toLowerCase()}`)
        .join(', '),
      `\t${hex.replace(/ /g, ':')}\n\n`,
    ];
    for (const v of variants) {
      const r = decodeMbusInput(Buffer.from(v));
      expect(r.input, v.slice(0, 20)).toBe('hex');
      expect(r.frames).toHaveLength(1);
      expect(r.frames[0]?.ok).toBe(true);
    }
    const binary = decodeMbusInput(bytes);
    expect(binary.input).toBe('binary');
    expect(binary.frames[0]?.ok).toBe(true);
  });

  it('decodes a capture of several frames and reports each problem where it is', () => {
    const capture = Buffer.from(
      '10 5B 11 6C 16 E5 00 FF 68 03 03 68 08 01 70 79 16 10 40 01 41 17',
      'latin1',
    );
    const r = decodeMbusInput(capture);
    expect(r.frames.map((f) => (f.ok ? f.telegram.frame.type : f.error.code))).toEqual([
      'short',
      'ack',
      'bad-frame',
      'control',
      'bad-frame',
    ]);
    expect(r.frames.map((f) => f.offset)).toEqual([0, 5, 6, 8, 17]);
  });

  it('refuses text that is not whole hex bytes, and empty input', () => {
    expect(decodeMbusInput(Buffer.from('68 0 1')).error?.code).toBe('bad-hex');
    expect(decodeMbusInput(Buffer.alloc(0)).error?.code).toBe('premature-end');
  });

  it('produces a JSON-able result', () => {
    const r = decodeMbusInput(KAMSTRUP);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('formatMbusDecoding', () => {
  it('prints header fields, then a line per record with value, unit and catalogue key', () => {
    const text = formatMbusDecoding(decodeMbusInput(KAMSTRUP));
    expect(text).toContain('Identification  06855817');
    expect(text).toContain('Manufacturer    KAM (0x2C2D)');
    expect(text).toContain('Medium          Heat (outlet) (0x04)');
    expect(text).toMatch(/1 {2}st 0 tar 0 sub 0 inst +Energy +37351 kWh {2}→ heat_energy = 37351 kWh/);
    expect(text).toMatch(/17 {2}st 1 tar 0 sub 0 inst +Energy +33361 kWh\n/);
    expect(text).toMatch(/16 {2}st 0 tar 0 sub 0 inst +Date and time +2011-01-05T15:26/);
    expect(text).toContain('manufacturer-specific data (57 bytes)');
  });

  it('explains errors', () => {
    const text = formatMbusDecoding(
      decodeMbusInput(readFileSync(corpusFile('libmbus/error-frames', 'too_many_dife.hex'))),
    );
    expect(text).toMatch(/ERROR too-many-dife: more than 10 DIFEs \(user-data offset 33\)/);
    expect(formatMbusDecoding(decodeMbusInput(Buffer.from('68 0 1')))).toBe(
      'Cannot decode the input: "0" is not a whole number of hex bytes\n',
    );
    // Not hex text, so read as bytes: two bytes of noise.
    expect(formatMbusDecoding(decodeMbusInput(Buffer.from('zz')))).toContain(
      'ERROR bad-frame: 2 byte(s) that do not start a frame',
    );
  });
});
