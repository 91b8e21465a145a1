import { afterAll, describe, expect, it } from 'vitest';
import { decodeP1Input } from '../../../src-main/cli/decode-p1.js';
import { formatCrc } from '../../../src-main/protocol/p1/crc16.js';
import { corpusBytes, corpusExpectation, corpusNames } from './corpus.js';
import { compareObject, type ExpectedObject, type Mismatch } from './corpus-compare.js';

interface ExpectationFile {
  crc: { present: boolean; declared?: string; computed_crc16_arc?: string; valid?: boolean };
  expected: Record<string, ExpectedObject>;
  present_but_not_asserted?: string[];
  transcribed_not_asserted?: {
    lines: Record<string, { line: string; groups: { value: string; unit?: string }[] }>;
  };
}

/**
 * Expectations we knowingly do not meet, each checked to fail exactly this way.
 * be_fluvius_v1_7_1 stamps two entries of its 13-month peak history with S (summer time) on March
 * dates. The P1 companion standard defines S as "daylight saving time active", so the decoder
 * applies UTC+2 as flagged; dsmr_parser ignores the flag outside the repeated autumn hour and
 * follows the calendar (UTC+1), which is what the expectation file records.
 */
const EXCEPTIONS: Record<string, Mismatch[]> = {
  be_fluvius_v1_7_1: [
    {
      path: '0-0:98.1.0/entries/1/occurred_utc',
      expected: '2020-03-05T11:21:39.000Z',
      actual: '2020-03-05T10:21:39.000Z',
    },
    {
      path: '0-0:98.1.0/entries/2/timestamp_utc',
      expected: '2020-02-29T23:00:00.000Z',
      actual: '2020-02-29T22:00:00.000Z',
    },
  ],
};

/** Non-value assertions of upstream tests that concern a whole telegram (see each file's upstream_checks). */
const OBJECT_COUNTS: Record<string, number> = {
  // test_parse_sagemcom_t210_d_r.py: 18 objects after decryption.
  at_sagemcom_t210_d_r_plaintext: 18,
};

const names = corpusNames('dsmr_parser');
const totals = { telegrams: 0, entries: 0, fields: 0 };

describe('P1 corpus (dsmr_parser telegrams)', () => {
  afterAll(() => {
    console.info(
      `P1 corpus: ${totals.telegrams} telegrams, ${totals.entries} asserted OBIS entries, ${totals.fields} fields compared`,
    );
  });

  it.each(names)('%s decodes to exactly its expectation', (name) => {
    const exp = corpusExpectation('dsmr_parser', name) as ExpectationFile;
    const decoded = decodeP1Input(corpusBytes('dsmr_parser', name), { receivedAt: 0 });
    expect(decoded.failures).toEqual([]);
    expect(decoded.telegrams).toHaveLength(1);
    const t = decoded.telegrams[0]!.telegram;
    expect(t.issues).toEqual([]);
    expect(t.objects.filter((o) => o.issue !== undefined)).toEqual([]);

    if (exp.crc.present) {
      expect(exp.crc.valid).toBe(true);
      expect(t.crc?.text).toBe(exp.crc.declared);
      expect(formatCrc(t.crc?.computed ?? -1)).toBe(exp.crc.computed_crc16_arc);
    } else {
      expect(t.crc).toBeNull();
    }

    const mismatches: Mismatch[] = [];
    for (const [obis, expObj] of Object.entries(exp.expected)) {
      const found = t.objects.filter((o) => o.obis === obis);
      expect(found, obis).toHaveLength(1);
      expect(found[0]!.text, obis).toBe(expObj.line);
      const r = compareObject(obis, found[0]!, expObj);
      mismatches.push(...r.mismatches);
      totals.fields += r.fields;
    }
    expect(mismatches).toEqual(EXCEPTIONS[name] ?? []);

    for (const obis of exp.present_but_not_asserted ?? []) {
      expect(
        t.objects.some((o) => o.obis === obis),
        obis,
      ).toBe(true);
    }
    for (const [obis, tr] of Object.entries(exp.transcribed_not_asserted?.lines ?? {})) {
      const obj = t.objects.find((o) => o.obis === obis);
      expect(obj?.text, obis).toBe(tr.line);
      const v = obj!.value;
      const [group] = tr.groups;
      if (tr.groups.length !== 1 || !group) continue;
      const raw =
        v.kind === 'empty' ? '' : v.kind === 'timestamp' ? v.at.raw : 'raw' in v ? v.raw : undefined;
      expect(raw, obis).toBe(group.value);
      expect(v.kind === 'number' ? v.unit : null, obis).toBe(group.unit ?? null);
      totals.fields += 2;
    }
    const count = OBJECT_COUNTS[name];
    if (count !== undefined) expect(t.objects).toHaveLength(count);

    totals.telegrams++;
    totals.entries += Object.keys(exp.expected).length;
  });

  it('covered every telegram and every asserted entry of the corpus (SOURCE.md: 14 telegrams, 242 entries)', () => {
    expect(names).toHaveLength(14);
    expect(totals.telegrams).toBe(14);
    expect(totals.entries).toBe(242);
  });
});

interface CorruptedFile {
  crc: { present: boolean; declared?: string; computed?: string; valid?: boolean };
}

/** What each corrupted variant must produce; the folder listing must match these keys. */
const CORRUPTED: Record<string, { reason: 'bad_crc' | 'truncated' } | { recovers: string }> = {
  'corrupt_badcrc_crc-edited_dsmr_v5_iskra_mt382': { reason: 'bad_crc' },
  'corrupt_badcrc_value-edited_dsmr_v4_2_kaifa': { reason: 'bad_crc' },
  'corrupt_lf-only_dsmr_v4_2_kaifa': { reason: 'bad_crc' },
  'corrupt_truncated_mid-line_dsmr_v5_iskra_mt382': { reason: 'truncated' },
  'corrupt_truncated_no-crc-line_be_fluvius_v1_7_1': { reason: 'truncated' },
  'stream_garbage-prefix_dsmr_v4_2_kaifa': { recovers: 'dsmr_v4_2_kaifa' },
};

describe('P1 corpus (corrupted variants)', () => {
  it('describes every file in the folder', () => {
    expect(corpusNames('corrupted')).toEqual(Object.keys(CORRUPTED).sort());
  });

  it.each(Object.entries(CORRUPTED))('%s', (name, want) => {
    const exp = corpusExpectation('corrupted', name) as CorruptedFile;
    const decoded = decodeP1Input(corpusBytes('corrupted', name), { receivedAt: 0 });
    if ('recovers' in want) {
      const original = decodeP1Input(corpusBytes('dsmr_parser', want.recovers), { receivedAt: 0 });
      expect(decoded.failures).toEqual([]);
      expect(decoded.telegrams).toHaveLength(1);
      expect(decoded.telegrams[0]!.telegram).toEqual(original.telegrams[0]!.telegram);
      expect(formatCrc(decoded.telegrams[0]!.telegram.crc?.computed ?? -1)).toBe(exp.crc.computed);
      expect(decoded.skippedBytes).toBe(decoded.telegrams[0]!.offset);
      return;
    }
    expect(decoded.telegrams).toEqual([]);
    expect(decoded.failures.map((f) => f.reason)).toEqual([want.reason]);
    if (want.reason === 'bad_crc') {
      expect(exp.crc.valid).toBe(false);
      expect(decoded.failures[0]!.detail).toContain(
        `declared ${exp.crc.declared}, computed ${exp.crc.computed}`,
      );
    } else {
      expect(exp.crc.present).toBe(false);
    }
  });
});
