import { describe, expect, it } from 'vitest';
import { decodeP1Input } from '../../../src-main/cli/decode-p1.js';
import { encodeP1Telegram } from '../../../src-main/protocol/p1/encoder.js';
import {
  addEvenParity,
  looksLike7E1,
  parityProfile,
  stripParity,
} from '../../../src-main/protocol/p1/seven-bit.js';
import { corpusBytes, corpusNames } from './corpus.js';

function linesOf(bytes: Buffer): { header: string; lines: string[] } {
  const text = bytes.toString('latin1');
  const all = text.slice(0, text.indexOf('!')).split('\r\n');
  return { header: (all[0] ?? '').slice(1), lines: all.slice(2, -1) };
}

describe('encodeP1Telegram', () => {
  it.each(['dsmr_v4_2_kaifa', 'dsmr_v5_iskra_mt382', 'be_fluvius_v1_7_1', 'dsmr_v2_2_iskra_mt382'])(
    'rebuilds %s byte for byte',
    (name) => {
      const bytes = corpusBytes('dsmr_parser', name);
      const { header, lines } = linesOf(bytes);
      const crc = bytes[bytes.indexOf('!') + 1] !== 0x0d;
      expect(encodeP1Telegram(header, lines, { crc })).toEqual(bytes);
    },
  );
});

describe('7E1 seen as 8 bits', () => {
  it('puts even parity in bit 7 and takes it out again', () => {
    const text = corpusBytes('dsmr_parser', 'dsmr_v2_2_iskra_mt382');
    const wire = addEvenParity(text);
    expect(parityProfile(wire).even).toBe(wire.length);
    expect(wire[0]).toBe(0xaf); // "/" = 0x2F has five ones
    expect(stripParity(wire)).toEqual(text);
  });

  it.each(corpusNames('dsmr_parser'))('tells %s as 8N1 from its 7E1 form', (name) => {
    const bytes = corpusBytes('dsmr_parser', name);
    expect(looksLike7E1(bytes)).toBe(false);
    expect(looksLike7E1(addEvenParity(bytes))).toBe(true);
  });

  it('decodes a 7E1 capture taken with 8 data bits', () => {
    const wire = addEvenParity(corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa'));
    const d = decodeP1Input(wire, { receivedAt: 0 });
    expect(d.parityStripped).toBe(true);
    expect(d.telegrams).toHaveLength(1);
    expect(d.telegrams[0]?.telegram.crc?.text).toBe('6796');
  });
});
