/**
 * Every plausible reading of a register range of a device nobody described: each word as int16 and
 * uint16, each pair of words as int32/uint32/float32 in the four word/byte orders, and which of
 * them (with a power-of-ten scale) look like mains voltage, frequency, current or power. Pure: the
 * CLI `probe`, the UI's map builder and the tests share it.
 */

/** Word order × byte order of a 32-bit value: ABCD = high word first, big-endian bytes (Modbus' own). */
export type ByteOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';
export const BYTE_ORDERS: readonly ByteOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

export type Quantity = 'voltage' | 'frequency' | 'current' | 'power';

export interface Hint {
  quantity: Quantity;
  /** The reading that looks like it: "uint16", "float32 CDAB", "int32 ABCD". */
  as: string;
  scale: number;
  value: number;
  unit: string;
}

export interface WordDecodes {
  address: number;
  /** null: the device refused or did not answer this register. */
  word: number | null;
  int16?: number;
  uint16?: number;
  /** This word and the next, when both were read. */
  int32?: Record<ByteOrder, number>;
  uint32?: Record<ByteOrder, number>;
  float32?: Record<ByteOrder, number | null>;
  hints: Hint[];
}

/** The four bytes of a word pair in the given order, as big-endian A B C D. */
function bytes(hi: number, lo: number, order: ByteOrder): Buffer {
  const a = hi >> 8;
  const b = hi & 0xff;
  const c = lo >> 8;
  const d = lo & 0xff;
  const seq = { ABCD: [a, b, c, d], CDAB: [c, d, a, b], BADC: [b, a, d, c], DCBA: [d, c, b, a] }[order];
  return Buffer.from(seq);
}

/** A float32 worth showing: finite, not a denormal or absurdly large value (random bits usually are). */
export function plausibleFloat(v: number): boolean {
  return Number.isFinite(v) && (v === 0 || (Math.abs(v) >= 1e-6 && Math.abs(v) <= 1e9));
}

interface Window {
  quantity: Quantity;
  unit: string;
  /** The power-of-ten scales an integer register of this quantity is commonly held in. */
  scales: readonly number[];
  test: (v: number) => boolean;
}

/** What each quantity looks like on a low-voltage installation (50 or 60 Hz). */
const WINDOWS: Window[] = [
  {
    quantity: 'voltage',
    unit: 'V',
    scales: [0.1, 0.01],
    test: (v) => (v >= 195 && v <= 255) || (v >= 100 && v <= 130) || (v >= 340 && v <= 440),
  },
  {
    quantity: 'frequency',
    unit: 'Hz',
    scales: [0.1, 0.01, 0.001],
    test: (v) => (v >= 49 && v <= 51) || (v >= 59 && v <= 61),
  },
  // Current and power: non-zero and in the range of a site meter; which scale is right, the technician
  // judges from the neighbours (every fitting scale is offered).
  {
    quantity: 'current',
    unit: 'A',
    scales: [0.1, 0.01, 0.001],
    test: (v) => Math.abs(v) >= 0.05 && Math.abs(v) <= 630,
  },
  {
    quantity: 'power',
    unit: 'W',
    scales: [1, 0.1],
    test: (v) => Math.abs(v) >= 20 && Math.abs(v) <= 500_000,
  },
];

/** Rounds away float noise so a scaled value prints as the device means it (2301 × 0.1 = 230.1). */
const tidy = (v: number): number => Number(v.toPrecision(7)) + 0;

function hintsFor(candidates: { as: string; raw: number; float: boolean }[]): Hint[] {
  const out: Hint[] = [];
  for (const w of WINDOWS)
    for (const c of candidates) {
      if (c.raw === 0) continue;
      for (const scale of c.float ? [1] : w.scales) {
        const value = tidy(c.raw * scale);
        // A float current is a fraction more often than not; a whole float is rarely a current.
        if (c.float && w.quantity === 'current' && Number.isInteger(value)) continue;
        if (w.test(value)) out.push({ quantity: w.quantity, as: c.as, scale, value, unit: w.unit });
      }
    }
  return out;
}

/**
 * Decodes a register range: `words[i]` is the register at `start + i` (null where it was not read).
 * Hints prefer the strongest evidence: a float32 in range beats a scaled integer.
 */
export function decodeTable(start: number, words: readonly (number | null)[]): WordDecodes[] {
  return words.map((word, i) => {
    const address = start + i;
    if (word === null) return { address, word, hints: [] };
    const row: WordDecodes = {
      address,
      word,
      int16: word >= 0x8000 ? word - 0x10000 : word,
      uint16: word,
      hints: [],
    };
    const next = words[i + 1];
    const candidates: { as: string; raw: number; float: boolean }[] = [
      { as: 'uint16', raw: word, float: false },
      ...(word >= 0x8000 ? [{ as: 'int16', raw: word - 0x10000, float: false }] : []),
    ];
    if (next !== undefined && next !== null) {
      const i32 = {} as Record<ByteOrder, number>;
      const u32 = {} as Record<ByteOrder, number>;
      const f32 = {} as Record<ByteOrder, number | null>;
      for (const o of BYTE_ORDERS) {
        const b = bytes(word, next, o);
        i32[o] = b.readInt32BE(0);
        u32[o] = b.readUInt32BE(0);
        const f = b.readFloatBE(0);
        f32[o] = plausibleFloat(f) ? tidy(f) : null;
        if (f32[o] !== null) candidates.push({ as: `float32 ${o}`, raw: f32[o], float: true });
        candidates.push({ as: `int32 ${o}`, raw: i32[o], float: false });
      }
      row.int32 = i32;
      row.uint32 = u32;
      row.float32 = f32;
    }
    const hints = hintsFor(candidates);
    // A float that fits wins over integer readings of the same quantity at this address.
    row.hints = hints.filter(
      (h) =>
        h.as.startsWith('float32') ||
        !hints.some((o) => o.quantity === h.quantity && o.as.startsWith('float32')),
    );
    return row;
  });
}

/** One line per register for a terminal: raw, 16-bit, the 32-bit readings that make sense, hints. */
export function formatTable(rows: readonly WordDecodes[], fc: 3 | 4): string[] {
  const lines = [
    `fc ${fc}  addr   hex     uint16   int16 | float32 ABCD / CDAB / BADC / DCBA | int32 ABCD / CDAB | looks like`,
  ];
  for (const r of rows) {
    if (r.word === null) {
      lines.push(`     ${String(r.address).padStart(5)}  ----  (not read: refused or no answer)`);
      continue;
    }
    const f = r.float32
      ? BYTE_ORDERS.map((o) => (r.float32![o] === null ? '-' : String(r.float32![o]))).join(' / ')
      : '';
    const i = r.int32 ? `${r.int32.ABCD} / ${r.int32.CDAB}` : '';
    const hints = r.hints
      .map((h) => `${h.quantity} ${h.value} ${h.unit} (${h.as}${h.scale !== 1 ? ` ×${h.scale}` : ''})`)
      .join('; ');
    lines.push(
      `     ${String(r.address).padStart(5)}  ${r.word.toString(16).padStart(4, '0')}  ${String(r.uint16).padStart(6)}  ${String(r.int16).padStart(6)} | ${f.padEnd(34)} | ${i.padEnd(24)} | ${hints}`,
    );
  }
  return lines;
}
