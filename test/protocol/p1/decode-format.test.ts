import { describe, expect, it } from 'vitest';
import { decodeP1Input, formatP1Decoding } from '../../../src-main/cli/decode-p1.js';
import { corpusBytes } from './corpus.js';

describe('decode p1 output', () => {
  it('shows version, equipment id, time, CRC and one line per value with unit and catalogue key', () => {
    const text = formatP1Decoding(
      decodeP1Input(corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382'), { receivedAt: 0 }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Telegram 1 at byte 0: DSMR 5.0');
    expect(text).toContain(
      '  equipment  "K8EG004046395507" (hex 4B384547303034303436333935353037) (0-0:96.1.1)',
    );
    expect(text).toContain('  time       170102192002W = 2017-01-02T18:20:02Z');
    expect(text).toContain('  CRC        6EEE valid');
    expect(text).toContain('  M-Bus 1    type 3 (gas), id 2222ABCD123456789');
    expect(lines).toContain('  1-0:1.7.0    00.244 kW  → power_import = 244 W');
    expect(lines).toContain(
      '  0-1:24.2.1   00000.107 m3 at 170102161005W = 2017-01-02T15:10:05Z  → gas_volume[1] = 0.107 m3',
    );
    expect(lines.at(-2)).toBe('1 telegram decoded, 0 rejected, 0 bytes outside telegrams.');
  });

  it('decodes hex-encoded message codes and messages, but not versions', () => {
    const text = formatP1Decoding(
      decodeP1Input(corpusBytes('dsmr_parser', 'dsmr_v3_iskra_mt382'), { receivedAt: 0 }),
    );
    expect(text).toContain('  0-0:96.13.1  "012345678" (hex 303132333435363738)\n');
    const v4 = formatP1Decoding(
      decodeP1Input(corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa'), { receivedAt: 0 }),
    );
    expect(v4).toContain('  1-3:0.2.8    42\n');
  });

  it('explains rejections', () => {
    const text = formatP1Decoding(decodeP1Input(corpusBytes('corrupted', 'corrupt_lf-only_dsmr_v4_2_kaifa')));
    expect(text).toContain(
      'Rejected at byte 0 (857 bytes): bad_crc: CRC mismatch: declared 6796, computed 6185',
    );
    expect(text).toContain('0 telegrams decoded, 1 rejected');
  });

  it('gives a result that survives JSON unchanged', () => {
    const d = decodeP1Input(corpusBytes('dsmr_parser', 'be_fluvius_v1_7_1_alt'), { receivedAt: 0 });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
