import { isDeepStrictEqual } from 'node:util';

/** Oracle failures throw plain errors, so the same checks run under Vitest and in the fuzz bench. */
export function must(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`oracle broken: ${what}`);
}

export function mustEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected))
    throw new Error(`oracle broken: ${what}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

/** Every number anywhere in a decoded result is finite: a value that cannot be is null (reported invalid). */
export function mustBeFinite(x: unknown, path = '$'): void {
  if (typeof x === 'number') must(Number.isFinite(x), `${path} is finite (${x})`);
  else if (Array.isArray(x)) x.forEach((v, i) => mustBeFinite(v, `${path}[${i}]`));
  else if (x && typeof x === 'object' && !Buffer.isBuffer(x))
    for (const [k, v] of Object.entries(x)) mustBeFinite(v, `${path}.${k}`);
}
