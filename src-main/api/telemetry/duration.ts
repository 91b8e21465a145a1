/**
 * Duration strings of the Telemetry API: Go's `time.ParseDuration` grammar (`1.5m`, `2h45m`, `1m0s`,
 * `3600s`, a bare `0`) plus Enapter's `d` and `y`. Exact: values are nanoseconds as bigint.
 */
export class DurationError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`invalid duration "${input.length > 40 ? `${input.slice(0, 40)}…` : input}": ${reason}`);
    this.name = 'DurationError';
  }
}

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign, as Go accepts
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  y: 365n * 86_400_000_000_000n,
};
const MAX_NS = (1n << 63n) - 1n;
const PART = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h|d|y)/;

export const NS_PER_S = 1_000_000_000n;
export const NS_PER_MS = 1_000_000n;

export function parseDuration(input: string): bigint {
  if (input.length > 64) throw new DurationError(input, 'too long');
  let rest = input;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (!rest) throw new DurationError(input, 'empty');
  let total = 0n;
  while (rest) {
    const m = PART.exec(rest);
    if (!m) throw new DurationError(input, 'expected a number followed by ns, us, ms, s, m, h, d or y');
    const [whole, int = '', frac = '', unit = ''] = m;
    if (!int && !frac) throw new DurationError(input, `"${unit}" has no number before it`);
    const scale = NS[unit];
    if (scale === undefined) throw new DurationError(input, `unknown unit "${unit}"`);
    total += BigInt(int || '0') * scale;
    if (frac) total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    if (total > MAX_NS) throw new DurationError(input, 'too large');
    rest = rest.slice(whole.length);
  }
  return sign * total;
}

/** "<int>[.<frac>]" of `v` in units of 10^-digits, trailing zeros of the fraction dropped. */
function decimal(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const frac = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${v / scale}${frac ? `.${frac}` : ''}`;
}

/** Go's `Duration.String()` form (`1s`, `1m0s`, `1h0m0s`, `1.5s`, `500ms`), with `us` for microseconds. */
export function formatDuration(ns: bigint): string {
  if (ns < 0n) return `-${formatDuration(-ns)}`;
  if (ns === 0n) return '0s';
  if (ns < 1_000n) return `${ns}ns`;
  if (ns < NS_PER_MS) return `${decimal(ns, 3)}us`;
  if (ns < NS_PER_S) return `${decimal(ns, 6)}ms`;
  const minutes = ns / 60_000_000_000n;
  const seconds = `${decimal(ns % 60_000_000_000n, 9)}s`;
  if (minutes === 0n) return seconds;
  const hours = minutes / 60n;
  return `${hours > 0n ? `${hours}h` : ''}${minutes % 60n}m${seconds}`;
}
