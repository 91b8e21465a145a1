/** A small seeded mutation fuzzer: the same seed always gives the same inputs, so a failure is replayable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function mutate(input: Buffer, r: () => number): Buffer {
  const b = [...input];
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const op = Math.floor(r() * 6);
    const at = Math.floor(r() * (b.length + 1));
    switch (op) {
      case 0: // flip a bit
        if (b.length) b[at % b.length]! ^= 1 << Math.floor(r() * 8);
        break;
      case 1: // random byte
        if (b.length) b[at % b.length] = Math.floor(r() * 256);
        break;
      case 2: // insert bytes
        b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256)));
        break;
      case 3: // delete a run
        b.splice(at, 1 + Math.floor(r() * 8));
        break;
      case 4: // truncate
        b.length = Math.floor(r() * b.length);
        break;
      default: // duplicate a slice
        b.splice(at, 0, ...b.slice(Math.floor(r() * b.length), Math.floor(r() * b.length)));
    }
  }
  return Buffer.from(b.map((x) => x & 0xff));
}

export interface FuzzFailure {
  seed: number;
  input: string;
  error: string;
}

/**
 * Feeds `iterations` mutated inputs derived from `corpus` to `check`; returns every input that threw
 * or took more than `slowMs` of CPU time (a hang in the making). `regressions` (kept seeds) always run first.
 */
export function fuzz(
  corpus: readonly Buffer[],
  iterations: number,
  check: (input: Buffer) => void,
  o: { seed?: number; regressions?: readonly number[]; slowMs?: number } = {},
): { runs: number; failures: FuzzFailure[] } {
  const failures: FuzzFailure[] = [];
  const seeds = [
    ...(o.regressions ?? []),
    ...Array.from({ length: iterations }, (_, i) => (o.seed ?? 1) * 1_000_003 + i),
  ];
  for (const seed of seeds) {
    const r = rng(seed);
    const base = corpus[Math.floor(r() * corpus.length)] ?? Buffer.alloc(0);
    const input = mutate(base, r);
    // CPU time, not wall time: a shared machine stretches wall time without any hang in the code.
    const before = process.cpuUsage();
    try {
      check(input);
    } catch (e) {
      failures.push({ seed, input: input.toString('hex'), error: (e as Error).message });
      continue;
    }
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    if (ms > (o.slowMs ?? 200))
      failures.push({ seed, input: input.toString('hex'), error: `took ${ms.toFixed(0)} ms of CPU` });
  }
  return { runs: seeds.length, failures };
}

export interface ReachResult {
  runs: number;
  /** Inputs that got through framing and checksum into the application-layer decoder. */
  reached: number;
  failures: FuzzFailure[];
  /** Largest CPU time one input took (user + system), in ms. */
  maxCpuMs: number;
}

/**
 * Structure-aware fuzzing: `make` derives one input from a corpus item (mutating inside the framing and
 * fixing length and checksum afterwards); `check` decodes it, throws on a broken oracle and returns
 * whether the input reached the application-layer decoder. CPU time per input is bounded with
 * process.cpuUsage (not wall time, which a shared machine stretches).
 */
export function fuzzReach(
  corpus: readonly Buffer[],
  iterations: number,
  make: (base: Buffer, r: () => number) => Buffer,
  check: (input: Buffer) => boolean,
  o: { seed?: number; regressions?: readonly number[]; cpuMs?: number } = {},
): ReachResult {
  const failures: FuzzFailure[] = [];
  let reached = 0;
  let maxCpuMs = 0;
  const seeds = [
    ...(o.regressions ?? []),
    ...Array.from({ length: iterations }, (_, i) => (o.seed ?? 1) * 1_000_003 + i),
  ];
  for (const seed of seeds) {
    const r = rng(seed);
    const input = make(corpus[Math.floor(r() * corpus.length)] ?? Buffer.alloc(0), r);
    const before = process.cpuUsage();
    try {
      if (check(input)) reached++;
    } catch (e) {
      failures.push({ seed, input: input.toString('hex'), error: (e as Error).message });
      continue;
    }
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    maxCpuMs = Math.max(maxCpuMs, ms);
    if (ms > (o.cpuMs ?? 50))
      failures.push({ seed, input: input.toString('hex'), error: `took ${ms.toFixed(0)} ms of CPU` });
  }
  return { runs: seeds.length, reached, failures, maxCpuMs };
}

/** Picks one of `xs`. */
export function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)]!;
}
