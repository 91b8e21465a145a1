import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput } from '../../../src-main/cli/decode-mbus.js';
import { describeControl } from '../../../src-main/protocol/mbus/frame.js';
import { decodeFrame, MbusFrameParser } from '../../../src-main/protocol/mbus/parser.js';
import { reqUd2, selectSecondary, sndNke } from '../../../src-main/protocol/mbus/requests.js';
import { parseSecondaryAddress } from '../../../src-main/protocol/mbus/secondary-address.js';
import { corpusFile } from './corpus.js';

interface Vector {
  file: string;
  bytes: string;
}

const vectors = (
  JSON.parse(readFileSync(corpusFile('pymeterbus', 'requests', 'requests.expected.json'), 'utf8')) as {
    vectors: Vector[];
  }
).vectors;

function bytesOf(file: string): Buffer {
  const r = decodeMbusInput(readFileSync(corpusFile('pymeterbus', 'requests', file)));
  expect(r.error).toBeUndefined();
  return Buffer.from(r.frames.map((f) => f.raw.replace(/ /g, '')).join(''), 'hex');
}

describe('pyMeterBus link-layer vectors (requests/)', () => {
  it('lists 10 vectors whose files hold the bytes the JSON states', () => {
    expect(vectors).toHaveLength(10);
    for (const v of vectors)
      expect(bytesOf(v.file).toString('hex'), v.file).toBe(v.bytes.replace(/ /g, '').toLowerCase());
  });

  it('builds SND_NKE, REQ_UD2 with and without FCB, and the secondary selection byte for byte', () => {
    expect(sndNke(0)).toEqual(bytesOf('snd_nke_a00.hex'));
    expect(reqUd2(0, false)).toEqual(bytesOf('req_ud2_a00.hex'));
    expect(reqUd2(0, true)).toEqual(bytesOf('req_ud2_fcb_a00.hex'));
    const mask = parseSecondaryAddress('00000001DADAFA1B');
    if (!mask.ok) throw new Error(mask.error.message);
    expect(selectSecondary(mask.value, true)).toEqual(bytesOf('select_secondary_00000001_DADA_FA_1B.hex'));
  });

  it('classifies E5, short and control frames and checks their checksums', () => {
    expect(decodeFrame(bytesOf('ack_e5.hex'))).toEqual({ ok: true, value: { type: 'ack' } });
    expect(decodeFrame(bytesOf('short_frame_classify.hex'))).toEqual({
      ok: true,
      value: { type: 'short', control: 0x08, address: 0x0b },
    });
    expect(decodeFrame(bytesOf('control_frame_classify.hex'))).toEqual({
      ok: true,
      value: { type: 'control', control: 0x08, address: 0x0b, ci: 0x72 },
    });
    expect(describeControl(0x5b)).toMatchObject({ name: 'REQ_UD2', fcb: false, fcv: true });
    expect(describeControl(0x7b)).toMatchObject({ name: 'REQ_UD2', fcb: true, fcv: true });
    expect(describeControl(0x40)).toMatchObject({ name: 'SND_NKE' });
    expect(describeControl(0x73)).toMatchObject({ name: 'SND_UD', fcb: true });
  });

  it('rejects a short frame whose checksum byte was replaced by 0xFF', () => {
    const bad = Buffer.from(bytesOf('short_frame_classify.hex'));
    bad[3] = 0xff;
    expect(decodeFrame(bad)).toMatchObject({ ok: false, error: { code: 'bad-checksum' } });
  });

  it('rejects the control frame with checksum 0x00', () => {
    expect(decodeFrame(bytesOf('control_frame_bad_checksum.hex'))).toMatchObject({
      ok: false,
      error: { code: 'bad-checksum' },
    });
  });

  it('returns no frame for the truncated long frame until the rest arrives, and reports it cut short on flush', () => {
    const p = new MbusFrameParser();
    expect(p.push(bytesOf('long_frame_truncated.hex'))).toEqual([]);
    expect(p.pending).toBe(9);
    expect(p.flush()).toMatchObject([{ kind: 'error', error: { code: 'premature-end' } }]);
  });

  it('returns no frame for the 8-byte "header only" control frame', () => {
    const p = new MbusFrameParser();
    expect(p.push(bytesOf('control_frame_header_only_bad.hex'))).toEqual([]);
    expect(decodeFrame(bytesOf('control_frame_header_only_bad.hex'))).toMatchObject({
      ok: false,
      error: { code: 'premature-end' },
    });
  });
});
