/** Seeded generators of hostile HTTP requests for the API fuzz pass. */

export type Rng = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Rng, p: number): boolean => r() < p;

const NASTY_TEXT = [
  '',
  ' ',
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '-0',
  '9'.repeat(30),
  'null',
  'true',
  '[]',
  '{}',
  '%00',
  '%ZZ',
  '%',
  '%E0%A4%A',
  '..',
  '../..',
  '\u0000',
  'é',
  '😀',
  '<script>',
  "' OR 1=1 --",
  '1,2,,3',
  ',',
  '1;2',
  'a'.repeat(5000),
  '__proto__',
  'constructor',
  'devices[x]',
  '\r\nX-Injected: 1',
];

/** A random string: a nasty classic, random printable/unicode characters, or a number in text. */
export function text(r: Rng): string {
  const k = r();
  if (k < 0.4) return pick(r, NASTY_TEXT);
  if (k < 0.6) return String(Math.floor((r() - 0.3) * 10 ** Math.floor(r() * 16)));
  const len = Math.floor(r() * 40);
  let s = '';
  for (let i = 0; i < len; i++)
    s += String.fromCodePoint(chance(r, 0.9) ? 32 + Math.floor(r() * 95) : Math.floor(r() * 0x2fff));
  return s;
}

/** Any JSON value, nesting up to `depth`. */
export function jsonValue(r: Rng, depth = 3): unknown {
  const k = r();
  if (k < 0.15) return text(r);
  if (k < 0.3)
    return pick(r, [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 1735689600, 1735689600000, Number.MIN_VALUE]);
  if (k < 0.4) return pick(r, [true, false, null]);
  if (depth <= 0) return 1;
  if (k < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => jsonValue(r, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(r() * 4); i++)
    o[
      chance(r, 0.5)
        ? pick(r, [
            'from',
            'to',
            'telemetry',
            'device',
            'attribute',
            'granularity',
            'aggregation',
            'gap_filling',
            'method',
            'look_around',
            'username',
            'password',
            'label',
          ])
        : text(r)
    ] = jsonValue(r, depth - 1);
  return o;
}

/** Mutates a valid-looking object: drop, retype or garble fields, recursively. */
export function mutate(r: Rng, v: unknown, depth = 0): unknown {
  if (depth > 4 || chance(r, 0.08)) return jsonValue(r, 2);
  if (Array.isArray(v)) {
    const out = v.map((x) => (chance(r, 0.3) ? mutate(r, x, depth + 1) : x));
    if (chance(r, 0.1)) return [...out, ...out, ...out, ...out];
    if (chance(r, 0.1)) out.pop();
    return out;
  }
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(v)) {
      if (chance(r, 0.1)) continue;
      o[chance(r, 0.05) ? text(r) : key] = chance(r, 0.3) ? mutate(r, x, depth + 1) : x;
    }
    return o;
  }
  return chance(r, 0.5) ? jsonValue(r, 1) : v;
}

/** Raw bodies that are not JSON, or JSON that breaks parsers (deep nesting, truncation). */
export function rawBody(r: Rng, valid: string): string | Buffer {
  return pick(r, [
    () => valid.slice(0, Math.floor(r() * valid.length)),
    () => '['.repeat(20_000) + ']'.repeat(20_000),
    () => '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))),
    () => valid.replace(/"/g, "'"),
    () => `${valid}${valid}`,
    () => '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
    () => text(r),
  ])();
}
