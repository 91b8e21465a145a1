import { cpus, totalmem } from 'node:os';

/** One benchmark figure, always next to the baseline it is judged against (same run, same machine). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue */
  ratio: number;
  runs: number;
  /** (max - min) / median of the measured runs, as a fraction. */
  spread: number;
  /**
   * For runs interleaved in rounds (ours, baseline, ours, baseline …): the median of each round's
   * value / baseline. A round's two figures were taken seconds apart, so a host whose speed swings
   * over minutes moves both; the ratio of the two medians can pair a fast phase with a slow one.
   */
  pairedRatio?: number;
  /** Every run's figure, in the order taken, and the baseline's (kept: a noisy phase shows in them). */
  values?: number[];
  baselineValues?: number[];
  note?: string;
}

export interface BenchContext {
  quick: boolean;
  log(msg: string): void;
}

export type Bench = (ctx: BenchContext) => Promise<BenchResult[]>;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

export function spread(xs: readonly number[]): number {
  const m = median(xs);
  return m ? (Math.max(...xs) - Math.min(...xs)) / m : 0;
}

/**
 * Runs every measurement once per round, in the order given, for `runs` rounds (ours, baseline, ours,
 * baseline …): a change in the machine's load touches each alike. With `alternate`, every second round
 * runs in the reverse order (ours, baseline, baseline, ours …), so neither always runs right after the
 * other (a peer's caches warmed by one, a socket or a pty just drained). Returns the per-run figures by name.
 */
export async function interleave<K extends string>(
  runs: number,
  fns: Record<K, () => Promise<number> | number>,
  options: { alternate?: boolean } = {},
): Promise<Record<K, number[]>> {
  const names = Object.keys(fns) as K[];
  const out = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++)
    for (const k of options.alternate && i % 2 ? [...names].reverse() : names) out[k].push(await fns[k]());
  return out;
}

/** Wall time of `fn` in ms. */
export async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Runs `fn` `runs` times and returns the per-run measurements. */
export async function repeat(runs: number, fn: () => Promise<number> | number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

export function result(
  name: string,
  unit: string,
  values: readonly number[],
  baseline: string,
  baselineValues: readonly number[],
  note?: string,
): BenchResult {
  const value = round(median(values));
  const baselineValue = round(median(baselineValues));
  return {
    name,
    value,
    unit,
    baseline,
    baselineValue,
    ratio: baselineValue ? round(value / baselineValue, 4) : 0,
    runs: values.length,
    spread: round(spread(values), 3),
    ...(values.length > 1 ? { values: values.map((v) => round(v)) } : {}),
    ...(baselineValues.length > 1 ? { baselineValues: baselineValues.map((v) => round(v)) } : {}),
    ...(note ? { note } : {}),
  };
}

/** `result` for runs interleaved round by round with their baseline: with the paired ratio as well. */
export function pairedResult(...args: Parameters<typeof result>): BenchResult {
  const [name, , values, , baselineValues] = args;
  if (values.length !== baselineValues.length) throw new Error(`${name}: runs and baseline runs do not pair`);
  const ratios = values.map((v, i) => (baselineValues[i] ? v / baselineValues[i]! : 0));
  return {
    ...result(...args),
    pairedRatio: round(median(ratios), 4),
  };
}

export function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
