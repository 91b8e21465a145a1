import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput } from '../../../src-main/cli/decode-mbus.js';
import type { MbusErrorCode } from '../../../src-main/protocol/mbus/errors.js';
import { decodeTelegram } from '../../../src-main/protocol/mbus/telegram.js';
import { corpusFile, listCorpus, readLibmbusXml } from './corpus.js';

const ERRORS = 'libmbus/error-frames';
const UNSUPPORTED = 'libmbus/unsupported-frames';

/** libmbus's application-error texts (CI 0x70) → the EN 13757-3 error code they stand for. */
const LIBMBUS_ERROR_CODE: Readonly<Record<string, number>> = {
  'Unspecified error': 0,
  'Unimplemented CI-Field': 1,
  'Buffer too long, truncated': 2,
  'Too many records': 3,
  'Premature end of record': 4,
  'More than 10 DIFE´s': 5,
  'More than 10 VIFE´s': 6,
  'Application busy': 8,
  'Too many readouts': 9,
};

/** Frames without expected output: link layer valid, record layer broken (see SOURCE.md). */
const EXPECTED_ERROR: Readonly<Record<string, { code: MbusErrorCode; offset: number | undefined }>> = {
  'premature_end_of_data1.hex': { code: 'premature-end', offset: 25 },
  'premature_end_of_data2.hex': { code: 'premature-end', offset: 25 },
  'premature_end_of_dif1.hex': { code: 'premature-end', offset: 23 },
  'premature_end_of_dif2.hex': { code: 'premature-end', offset: 24 },
  'premature_end_of_vif1.hex': { code: 'premature-end', offset: 24 },
  'premature_end_of_var_vif1.hex': { code: 'premature-end', offset: 36 },
  'too_long_var_vif.hex': { code: 'premature-end', offset: 36 },
  'too_many_dife.hex': { code: 'too-many-dife', offset: 33 },
  'too_many_vife.hex': { code: 'too-many-vife', offset: 35 },
  'too_short_header.hex': { code: 'header-too-short', offset: undefined },
};

function bytesOf(folder: string, file: string): Buffer {
  const text = readFileSync(corpusFile(folder, file), 'latin1');
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

describe('libmbus error-frames', () => {
  const files = listCorpus(ERRORS, '.hex');
  it('holds the 20 frames SOURCE.md lists', () => expect(files).toHaveLength(20));

  for (const file of files) {
    const xmlFile = file.replace(/\.hex$/, '.xml');
    const hasXml = listCorpus(ERRORS, '.xml').includes(xmlFile);
    it(`${file}${hasXml ? ' (libmbus reports an application error)' : ''}`, () => {
      const result = decodeTelegram(bytesOf(ERRORS, file));
      if (hasXml) {
        const expected = readLibmbusXml(corpusFile(ERRORS, xmlFile)).slave.Error ?? '';
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const u = result.value.userData;
        expect(u?.kind).toBe('application-error');
        if (u?.kind !== 'application-error') return;
        // error.hex is a control frame with no code byte: libmbus calls that "Unspecified error" too.
        expect(u.code ?? 0).toBe(LIBMBUS_ERROR_CODE[expected]);
        return;
      }
      const want = EXPECTED_ERROR[file];
      expect(want, 'every error frame has an expectation').toBeDefined();
      expect(result.ok).toBe(false);
      if (result.ok || !want) return;
      expect(result.error.code).toBe(want.code);
      expect(result.error.offset).toBe(want.offset);
      expect(result.error.message.length).toBeGreaterThan(10);
    });
  }
});

describe('libmbus unsupported-frames never throw and say what they are', () => {
  const files = listCorpus(UNSUPPORTED, '.hex');
  it('holds the 7 frames SOURCE.md lists', () => expect(files).toHaveLength(7));

  const decode = (file: string) => decodeMbusInput(readFileSync(corpusFile(UNSUPPORTED, file)));

  it('invalid_length.hex (L = 0, truncated) is rejected at the link layer', () => {
    const r = decode('invalid_length.hex');
    expect(r.frames.length).toBeGreaterThan(0);
    expect(r.frames.every((f) => !f.ok)).toBe(true);
    expect(r.frames[0]?.ok === false && r.frames[0].error.code).toBe('bad-frame');
  });

  it('invalid_length2.hex (CI 0x73 with 15 of 16 bytes) is a too-short fixed structure', () => {
    const f = decode('invalid_length2.hex').frames[0];
    expect(f?.ok === false && f.error.code).toBe('header-too-short');
  });

  it('manual_frame1.hex is damaged (first byte reads "D") and refused as hex; repaired it is an application reset', () => {
    const r = decode('manual_frame1.hex');
    expect(r.error?.code).toBe('bad-hex');
    expect(r.frames).toEqual([]);
    const text = readFileSync(corpusFile(UNSUPPORTED, 'manual_frame1.hex'), 'latin1');
    const repaired = decodeMbusInput(Buffer.from(text.replace(/^D /, '68 ')));
    const f = repaired.frames[0];
    expect(f?.ok && f.telegram.userData).toEqual({ kind: 'application-reset', ci: 0x50, subcode: 0x10 });
    expect(f?.ok && f.telegram.frame).toMatchObject({ controlName: 'SND_UD', address: 0xfe });
  });

  it('manual_frame4.hex writes primary address 8', () => {
    const f = decode('manual_frame4.hex').frames[0];
    const u = f?.ok ? f.telegram.userData : undefined;
    expect(u?.kind).toBe('data-send');
    if (u?.kind !== 'data-send') return;
    expect(u.records).toMatchObject([{ type: 'data', quantity: 'bus_address', value: 8 }]);
  });

  it('manual_frame5.hex writes the enhanced identification as one 8-byte integer', () => {
    const f = decode('manual_frame5.hex').frames[0];
    const u = f?.ok ? f.telegram.userData : undefined;
    if (u?.kind !== 'data-send') throw new Error(`got ${u?.kind}`);
    expect(u.records).toMatchObject([
      {
        quantity: 'enhanced_identification',
        data: { type: 'integer', exact: BigInt('0x0401402401020304').toString() },
      },
    ]);
  });

  it('manual_frame6.hex writes identification 12345678 and an energy register of 107 kWh', () => {
    const f = decode('manual_frame6.hex').frames[0];
    const u = f?.ok ? f.telegram.userData : undefined;
    if (u?.kind !== 'data-send') throw new Error(`got ${u?.kind}`);
    expect(u.records).toMatchObject([
      { quantity: 'enhanced_identification', data: { type: 'bcd', digits: '12345678' } },
      { quantity: 'energy', unit: 'Wh', exponent: 3, value: 107000 },
    ]);
  });

  it('svm_f22_telegram2.hex is a header plus one opaque manufacturer block that announces more records', () => {
    const f = decode('svm_f22_telegram2.hex').frames[0];
    const u = f?.ok ? f.telegram.userData : undefined;
    if (u?.kind !== 'variable') throw new Error(`got ${u?.kind}`);
    expect(u.header).toMatchObject({ id: '01006089', manufacturer: 'SVM', medium: 0x04 });
    expect(u.moreRecordsFollow).toBe(true);
    expect(u.records).toHaveLength(1);
    expect(u.records[0]).toMatchObject({ type: 'manufacturer', moreRecordsFollow: true });
    expect(u.records[0]?.type === 'manufacturer' && u.records[0].data.split(' ')).toHaveLength(
      0xde - 3 - 12 - 1,
    );
  });
});
