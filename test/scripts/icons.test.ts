import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ICNS_TYPES,
  ICO_SIZES,
  pngSize,
  readIcns,
  readIco,
  writeIcns,
  writeIco,
} from '../../scripts/icon-containers.js';
import { ICON_DIR, staleReason } from '../../scripts/icons.js';

const png = (size: number): Buffer => readFileSync(join(ICON_DIR, 'png', `${size}x${size}.png`));

describe('icons made from resources/icon.svg', () => {
  it('are up to date with the SVG (run `npx tsx scripts/icons.ts` after changing it)', () => {
    expect(staleReason()).toBeUndefined();
  });

  it('the committed ICO holds a PNG for each Windows size, 256 written as 0', () => {
    const buf = readFileSync(join(ICON_DIR, 'icon.ico'));
    expect(buf.readUInt8(6 + 16 * (ICO_SIZES.length - 1))).toBe(0); // the 256 px entry
    const images = readIco(buf);
    expect(images.map((i) => i.size)).toEqual([...ICO_SIZES]);
    for (const i of images) expect(pngSize(i.png)).toEqual({ width: i.size, height: i.size });
  });

  it('the committed ICNS holds every PNG slot, each image the size its type stands for', () => {
    const elements = readIcns(readFileSync(join(ICON_DIR, 'icon.icns')));
    const want = Object.entries(ICNS_TYPES).flatMap(([size, types]) =>
      types.map((t) => [t, Number(size)] as const),
    );
    expect(elements.map((e) => e.type).sort()).toEqual(want.map(([t]) => t).sort());
    for (const [type, size] of want) {
      const e = elements.find((x) => x.type === type);
      expect(pngSize(e!.png), type).toEqual({ width: size, height: size });
    }
  });
});

describe('ICO and ICNS writers', () => {
  const images = [
    { size: 16, png: png(16) },
    { size: 256, png: png(256) },
    { size: 32, png: png(32) },
  ];

  it('ICO: header, sorted directory, offsets that point at the PNGs', () => {
    const buf = writeIco(images);
    expect([buf.readUInt16LE(0), buf.readUInt16LE(2), buf.readUInt16LE(4)]).toEqual([0, 1, 3]);
    expect(buf.readUInt32LE(6 + 12)).toBe(6 + 3 * 16); // first image right after the directory
    expect(readIco(buf).map((i) => [i.size, i.png.equals(png(i.size))])).toEqual([
      [16, true],
      [32, true],
      [256, true],
    ]);
    expect(buf.length).toBe(6 + 48 + png(16).length + png(32).length + png(256).length);
  });

  it('ICNS: magic, total length and one element per type', () => {
    const buf = writeIcns(images);
    expect(buf.toString('ascii', 0, 4)).toBe('icns');
    expect(buf.readUInt32BE(4)).toBe(buf.length);
    expect(readIcns(buf).map((e) => e.type)).toEqual(['icp4', 'icp5', 'ic11', 'ic08', 'ic13']);
  });

  it('refuses what does not fit the container', () => {
    expect(() => writeIco([])).toThrow(/at least one/);
    expect(() => writeIco([{ size: 512, png: png(512) }])).toThrow(/no slot for a 512px/);
    expect(() => writeIcns([{ size: 24, png: png(24) }])).toThrow(/no slot for a 24px/);
    expect(() => writeIco([{ size: 32, png: png(16) }])).toThrow(/said to be 32px is 16x16/);
    expect(() => writeIco([{ size: 16, png: Buffer.from('GIF89a not a png at all') }])).toThrow(/not a PNG/);
    expect(() => readIcns(Buffer.from('icnsXXXX'))).toThrow(/length/);
  });
});
