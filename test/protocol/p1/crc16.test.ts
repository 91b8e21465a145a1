import { describe, expect, it } from 'vitest';
import { crc16Arc, formatCrc } from '../../../src-main/protocol/p1/crc16.js';
import { corpusBytes } from './corpus.js';

describe('crc16Arc', () => {
  it('has the CRC-16/ARC check value', () => {
    expect(crc16Arc(Buffer.from('123456789'))).toBe(0xbb3d);
  });

  it('continues a running CRC across calls', () => {
    const bytes = Buffer.from('/ISk5\\2MT382-1000\r\n\r\n!');
    expect(crc16Arc(bytes, 7, bytes.length, crc16Arc(bytes, 0, 7))).toBe(crc16Arc(bytes));
  });

  it('reproduces a meter CRC over "/" … "!"', () => {
    const bytes = corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa');
    const bang = bytes.indexOf('!');
    expect(formatCrc(crc16Arc(bytes, 0, bang + 1))).toBe(bytes.toString('latin1', bang + 1, bang + 5));
  });

  it('prints four upper-case digits', () => {
    expect(formatCrc(0xb9f)).toBe('0B9F');
    expect(formatCrc(0x6eee)).toBe('6EEE');
  });
});
