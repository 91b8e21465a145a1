import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput } from '../../../src-main/cli/decode-mbus.js';
import { corpusFile, listCorpus, readLibmbusXml } from './corpus.js';
import { compareFixed, compareHeader, compareRecord, type Mismatch } from './libmbus-compare.js';

const FOLDER = 'libmbus/test-frames';

/**
 * Records where libmbus's expected output is wrong per EN 13757-3. Each entry names the fields that
 * differ; an entry that stops matching a real difference fails the test, so the list cannot rot.
 */
const EXCEPTIONS: Readonly<Record<string, { fields: string[]; reason: string }>> = {
  'SEN_Pollustat.hex#12': {
    fields: ['norm Unit'],
    reason:
      'VIFE 0x50 "duration of first lower limit exceed (seconds)": the value is a duration in s; libmbus ignores the VIFE and scales it as m^3/h',
  },
  'SEN_Pollustat.hex#13': {
    fields: ['norm Unit'],
    reason:
      'VIFE 0x58 "duration of first upper limit exceed (seconds)": a duration in s, not m^3/h (libmbus ignores the VIFE)',
  },
  'landis+gyr_ultraheat_t230.hex#19': {
    fields: ['Value', 'norm Unit'],
    reason:
      'VIFE 0x6F "date of end of last": the 4 data bytes are a type F date (all zero = invalid here); libmbus ignores the VIFE and prints an integer in W',
  },
  'landis+gyr_ultraheat_t230.hex#20': {
    fields: ['Value', 'norm Unit'],
    reason: 'VIFE 0x6F "date of end of last": a type F date, not m^3/h (libmbus ignores the VIFE)',
  },
  'landis+gyr_ultraheat_t230.hex#21': {
    fields: ['Value', 'norm Unit'],
    reason:
      'VIFE 0x6F "date of end of last": type F 2011-08-26 20:50, the time of the maximum; libmbus prints the raw integer 410653746',
  },
  'landis+gyr_ultraheat_t230.hex#22': {
    fields: ['Value', 'norm Unit'],
    reason:
      'VIFE 0x6F "date of end of last": type F 2011-08-09 11:43; libmbus prints the raw integer 409537323',
  },
};
const usedExceptions = new Set<string>();

function withoutExceptions(file: string, mismatches: Mismatch[]): Mismatch[] {
  return mismatches.filter((m) => {
    const key = `${file}#${m.record ?? 'header'}`;
    if (EXCEPTIONS[key]?.fields.includes(m.field)) {
      usedExceptions.add(`${key}:${m.field}`);
      return false;
    }
    return true;
  });
}
const files = listCorpus(FOLDER, '.hex');
const checked = { frames: 0, records: 0 };

function decodeFile(file: string) {
  const result = decodeMbusInput(readFileSync(corpusFile(FOLDER, file)));
  expect(result.error).toBeUndefined();
  expect(result.frames).toHaveLength(1);
  const frame = result.frames[0];
  if (!frame?.ok)
    throw new Error(`${file}: ${frame ? `${frame.error.code}: ${frame.error.message}` : 'no frame'}`);
  return frame.telegram;
}

describe('libmbus test-frames against libmbus .xml and .norm.xml', () => {
  it('holds the 76 frames SOURCE.md lists', () => {
    expect(files).toHaveLength(76);
  });

  for (const file of files) {
    it(file, () => {
      const base = file.replace(/\.hex$/, '');
      const raw = readLibmbusXml(corpusFile(FOLDER, `${base}.xml`));
      const norm = readLibmbusXml(corpusFile(FOLDER, `${base}.norm.xml`));
      const u = decodeFile(file).userData;
      const mismatches: Mismatch[] = [];
      if (u?.kind === 'fixed') {
        mismatches.push(...compareFixed(u, raw));
        checked.records += u.fixed.counters.length;
      } else if (u?.kind === 'variable' && u.header) {
        mismatches.push(...compareHeader(u.header, raw));
        expect(u.records.length, 'record count').toBe(raw.records.length);
        u.records.forEach((r, i) => {
          const x = raw.records[i];
          if (x) mismatches.push(...compareRecord(r, x, norm.records[i], i));
        });
        checked.records += u.records.length;
      } else {
        throw new Error(`${file}: unexpected user data ${u?.kind}`);
      }
      expect(withoutExceptions(file, mismatches)).toEqual([]);
      checked.frames += 1;
    });
  }

  it('checked every frame and record', () => {
    console.log(`libmbus corpus: ${checked.frames} frames, ${checked.records} records match libmbus`);
    expect(checked.frames).toBe(files.length);
    const declared = Object.entries(EXCEPTIONS).flatMap(([key, e]) => e.fields.map((f) => `${key}:${f}`));
    expect(
      declared.filter((d) => !usedExceptions.has(d)),
      'exceptions that no longer match a difference',
    ).toEqual([]);
  });
});
