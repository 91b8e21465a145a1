/**
 * The two icon containers the installers need, written from PNG images we render ourselves. Both
 * formats can carry PNG payloads as they are, so no pixel conversion is needed:
 * - ICO (Windows): a 6-byte header, one 16-byte directory entry per image, then the images. PNG
 *   payloads are allowed since Windows Vista; a width or height of 256 is written as 0.
 * - ICNS (macOS): "icns" + total length, then one element per image: a 4-character type, the
 *   element's length including its 8-byte header, and the PNG. All integers are big-endian.
 */

export interface PngImage {
  /** Pixel width = height (icons are square). */
  size: number;
  png: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (
    png.length < 24 ||
    !png.subarray(0, 8).equals(PNG_SIGNATURE) ||
    png.toString('ascii', 12, 16) !== 'IHDR'
  )
    throw new Error('not a PNG image');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function checked(images: readonly PngImage[], allowed: readonly number[]): PngImage[] {
  if (!images.length) throw new Error('an icon needs at least one image');
  const sizes = new Set<number>();
  for (const img of images) {
    const { width, height } = pngSize(img.png);
    if (width !== img.size || height !== img.size)
      throw new Error(`image said to be ${img.size}px is ${width}x${height}`);
    if (!allowed.includes(img.size))
      throw new Error(`no slot for a ${img.size}px image (${allowed.join(', ')})`);
    if (sizes.has(img.size)) throw new Error(`two images of ${img.size}px`);
    sizes.add(img.size);
  }
  return [...images].sort((a, b) => a.size - b.size);
}

/** Windows shows 16–256 px; larger images have no place in an ICO directory entry. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

export function writeIco(images: readonly PngImage[]): Buffer {
  const list = checked(images, ICO_SIZES);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon (2 would be a cursor)
  header.writeUInt16LE(list.length, 4);
  const dir = Buffer.alloc(16 * list.length);
  let offset = header.length + dir.length;
  list.forEach((img, i) => {
    const e = i * 16;
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, e); // width; 0 means 256
    dir.writeUInt8(img.size >= 256 ? 0 : img.size, e + 1); // height
    dir.writeUInt8(0, e + 2); // no palette
    dir.writeUInt8(0, e + 3); // reserved
    dir.writeUInt16LE(1, e + 4); // colour planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel (RGBA)
    dir.writeUInt32LE(img.png.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += img.png.length;
  });
  return Buffer.concat([header, dir, ...list.map((i) => i.png)]);
}

/**
 * ICNS element types that hold a PNG, by pixel size. Where two types share a size (a 1x image and
 * the 2x image of half the size) both are written, so Finder finds each slot it looks for.
 */
export const ICNS_TYPES: Readonly<Record<number, readonly string[]>> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10'],
};

export function writeIcns(images: readonly PngImage[]): Buffer {
  const list = checked(images, Object.keys(ICNS_TYPES).map(Number));
  const elements: Buffer[] = [];
  for (const img of list)
    for (const type of ICNS_TYPES[img.size] ?? []) {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'ascii');
      head.writeUInt32BE(8 + img.png.length, 4);
      elements.push(head, img.png);
    }
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}

/** Reads an ICO back into its images (for the tests, and to check a file written earlier). */
export function readIco(buf: Buffer): PngImage[] {
  if (buf.length < 6 || buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1)
    throw new Error('not an ICO file');
  const n = buf.readUInt16LE(4);
  const out: PngImage[] = [];
  for (let i = 0; i < n; i++) {
    const e = 6 + i * 16;
    if (e + 16 > buf.length) throw new Error('ICO directory runs past the end');
    const size = buf.readUInt8(e) || 256;
    const length = buf.readUInt32LE(e + 8);
    const offset = buf.readUInt32LE(e + 12);
    if (offset + length > buf.length) throw new Error('ICO image runs past the end');
    out.push({ size, png: buf.subarray(offset, offset + length) });
  }
  return out;
}

/** Reads an ICNS back into its typed elements. */
export function readIcns(buf: Buffer): { type: string; png: Buffer }[] {
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (buf.readUInt32BE(4) !== buf.length) throw new Error('ICNS length does not match the file');
  const out: { type: string; png: Buffer }[] = [];
  for (let at = 8; at < buf.length;) {
    if (at + 8 > buf.length) throw new Error('ICNS element header runs past the end');
    const length = buf.readUInt32BE(at + 4);
    if (length < 8 || at + length > buf.length) throw new Error('ICNS element runs past the end');
    out.push({ type: buf.toString('ascii', at, at + 4), png: buf.subarray(at + 8, at + length) });
    at += length;
  }
  return out;
}
