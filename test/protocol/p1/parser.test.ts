import { describe, expect, it } from 'vitest';
import { decodeP1Input } from '../../../src-main/cli/decode-p1.js';
import { encodeP1Telegram } from '../../../src-main/protocol/p1/encoder.js';
import { P1Framer, type P1Frame } from '../../../src-main/protocol/p1/framer.js';
import { parseP1Frame } from '../../../src-main/protocol/p1/parser.js';
import type { P1Telegram } from '../../../src-main/protocol/p1/types.js';
import { corpusBytes, corpusNames } from './corpus.js';
import { seeded } from './random.js';

function frameOf(bytes: Buffer): P1Frame {
  const ev = new P1Framer().push(bytes).find((e) => e.type === 'frame');
  if (ev?.type !== 'frame') throw new Error('test telegram did not frame');
  return ev.frame;
}

function parse(lines: string[], header = 'XYZ5test'): P1Telegram {
  const r = parseP1Frame(frameOf(encodeP1Telegram(header, lines, { crc: true })));
  if (!r.ok) throw new Error(r.error.detail);
  return r.telegram;
}

describe('parseP1Frame', () => {
  it('reads header, version, time, equipment id and M-Bus devices', () => {
    const r = parseP1Frame(frameOf(corpusBytes('dsmr_parser', 'dsmr_v5_iskra_am550_two_mbus')));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.telegram;
    expect(t.header).toEqual({
      raw: 'ISK5\\2M550T-1012',
      manufacturer: 'ISK',
      identification: '\\2M550T-1012',
    });
    expect(t.version).toMatchObject({ obis: '1-3:0.2.8', raw: '50', dsmr: '5.0' });
    expect(t.timestamp).toEqual({
      raw: '200426223325S',
      epochMs: Date.UTC(2020, 3, 26, 20, 33, 25),
      dst: 'S',
    });
    expect(t.equipmentId).toEqual({
      obis: '0-0:96.1.1',
      raw: '4530303434303037333832323436303139',
      text: 'E0044007382246019',
    });
    expect(t.mbus.map((m) => [m.channel, m.deviceType, m.equipmentId?.text ?? null, m.reading?.raw])).toEqual(
      [
        [1, 3, null, '00000000'],
        [2, 3, 'G0039001936990619', '00246.138'],
      ],
    );
    // B = 3 in 1-3:0.2.8 is not an M-Bus channel.
    expect(t.mbus.some((m) => m.channel === 3)).toBe(false);
  });

  it('infers the version where the telegram has no version object', () => {
    const versionOf = (name: string): string | null => {
      const r = parseP1Frame(frameOf(corpusBytes('dsmr_parser', name)));
      return r.ok ? r.telegram.version.dsmr : 'error';
    };
    expect(versionOf('dsmr_v2_2_iskra_mt382')).toBe('2.2/3.0');
    expect(versionOf('dsmr_v4_2_kaifa')).toBe('4.2');
    expect(versionOf('be_fluvius_v1_7_1')).toBe('5.0');
    expect(versionOf('hu_eon_sagemcom_v5')).toBe('4+');
    expect(versionOf('de_easymeter_q3d_a1004_com1')).toBeNull();
  });

  it('reads the power-failure log and the Belgian peak history', () => {
    const t = parse([
      '1-0:99.97.0(2)(0-0:96.7.19)(101208152415W)(0000000240*s)(101208151004W)(0000000301*s)',
      '0-0:98.1.0(1)(1-0:1.6.0)(1-0:1.6.0)(200501000000S)(200423192538S)(03.695*kW)',
    ]);
    expect(t.objects[0]?.value).toMatchObject({
      kind: 'log',
      of: '0-0:96.7.19',
      entries: [
        { raw: '0000000240', value: 240, unit: 's', at: { epochMs: Date.UTC(2010, 11, 8, 14, 24, 15) } },
        { raw: '0000000301', value: 301, unit: 's' },
      ],
    });
    expect(t.objects[1]?.value).toMatchObject({
      kind: 'peaks',
      entries: [{ value: 3.695, unit: 'kW', period: { raw: '200501000000S' }, at: { raw: '200423192538S' } }],
    });
  });

  it('keeps an object that does not fit its layout, as groups with the reason', () => {
    const t = parse([
      '1-0:99.97.0(3)(0-0:96.7.19)(101208152415W)',
      '0-1:24.2.1(00001.000*m3)',
      '1-0:1.8.1(000001.000*kWh)',
    ]);
    expect(t.objects.map((o) => [o.value.kind, o.issue !== undefined])).toEqual([
      ['groups', true],
      ['groups', true],
      ['number', false],
    ]);
    expect(t.objects[0]?.issue).toContain('count pairs');
  });

  it('reports lines that are not objects as issues and keeps the rest', () => {
    const t = parse([
      '1-0:1.8.1(000001.000*kWh)',
      'garbage line',
      '(orphan)',
      '1-0:1.8.2(000002.000*kWh',
      '(00001.001)',
    ]);
    expect(t.objects.map((o) => [o.obis, o.value.kind])).toEqual([['1-0:1.8.1', 'number']]);
    expect(t.issues.map((i) => [i.line, i.text])).toEqual([
      [4, 'garbage line'],
      [5, '(orphan)'],
      [6, '1-0:1.8.2(000002.000*kWh'],
      [7, '(00001.001)'],
    ]);
  });

  it('classifies unknown objects by their text', () => {
    const t = parse([
      '1-0:99.1.0(12.5*kW)',
      '0-0:99.2.0(414243)',
      '0-0:99.3.0(200512135409S)(00.100*kW)',
      '0-0:99.4.0()',
    ]);
    expect(t.objects.map((o) => o.value)).toMatchObject([
      { kind: 'number', value: 12.5, unit: 'kW' },
      { kind: 'number', raw: '414243' },
      { kind: 'reading', value: 0.1, unit: 'kW', at: { raw: '200512135409S' } },
      { kind: 'empty' },
    ]);
  });

  it('returns an error for a frame without header or "!" line', () => {
    const bad = (text: string) =>
      parseP1Frame({ bytes: Buffer.from(text), offset: 0, crc: null, lineEnding: 'crlf' });
    expect(bad('1-0:1.8.1(1*kWh)\r\n!\r\n')).toMatchObject({ ok: false, error: { reason: 'no_header' } });
    expect(bad('/XYZ5\r\n\r\n1-0:1.8.1(1*kWh)\r\n')).toMatchObject({
      ok: false,
      error: { reason: 'no_end' },
    });
    expect(bad('')).toMatchObject({ ok: false, error: { reason: 'no_header' } });
  });

  it('never throws or hangs on mutated telegrams or random bytes', () => {
    const rand = seeded(2024);
    const seeds = corpusNames('dsmr_parser').map((n) => corpusBytes('dsmr_parser', n));
    const alphabet = Buffer.from('()*!/:-.0123456789SWkWhm3\r\n\x00\xff');
    for (let round = 0; round < 3000; round++) {
      const base = Buffer.from(seeds[round % seeds.length]!);
      for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) {
        base[Math.floor(rand() * base.length)] = alphabet[Math.floor(rand() * alphabet.length)]!;
      }
      const cut = rand() < 0.2 ? base.subarray(0, Math.floor(rand() * base.length)) : base;
      const decoded = decodeP1Input(cut, { receivedAt: 0 });
      // Any telegram coming out must have survived the CRC check, or carry none.
      for (const d of decoded.telegrams)
        expect(d.telegram.crc === null || d.telegram.crc.declared === d.telegram.crc.computed).toBe(true);
    }
    for (let round = 0; round < 200; round++) {
      const noise = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rand() * 256)));
      expect(() => decodeP1Input(noise)).not.toThrow();
    }
  });
});
