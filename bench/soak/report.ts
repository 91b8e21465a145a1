// The soak's goals computed from its record, and the record as markdown.
import type { ClientCounts } from './clients.js';

export interface MinuteRow {
  minute: number;
  t: number;
  rssMiB: number;
  heapMiB: number;
  externalMiB: number;
  /** Older records (before these were measured) lack the fields below. */
  /** Median of the minute's RSS sampled every 5 s without forcing a GC (rssMiB: right after two). */
  rssMedianMiB?: number;
  arrayBuffersMiB?: number;
  /** V8 heap reserved (used or not): it is resident, unlike heapMiB (used after a full GC). */
  heapTotalMiB?: number;
  /** Resident memory by kind (Linux /proc/self/status): anonymous, file-backed, shared memory. */
  rssAnonMiB?: number;
  rssFileMiB?: number;
  rssShmemMiB?: number;
  /** Resident part of the brk heap (glibc's main malloc arena): SQLite's page cache is there. */
  mallocMainMiB?: number;
  /** The database file and its write-ahead log. */
  dbMiB?: number;
  walMiB?: number;
  fds: number;
  load: number[];
  handed: number;
  cycles: number;
  online: number;
  failures: number;
}

export interface DeviceCount {
  uid: number;
  label: string;
  handed: number;
  stored: number;
  cycles: number;
  state: string | null;
}

export interface SoakRecord {
  startedAt: string;
  minutes: number;
  machine: { cpus: number; loadAtEnd: number[] };
  setup: Record<string, unknown>;
  perMinute: MinuteRow[];
  final: {
    devices: DeviceCount[];
    buses: { endpoint: string; requests: number; timeouts: number; crcErrors: number; garbage: number }[];
  };
  clients: ClientCounts;
  faults: { t: number; what: string }[];
  heapSnapshots: string | null;
}

export interface SoakResult {
  /** The minute growth is measured from: 5, or 1 in runs shorter than 6 minutes. */
  baseMinute: number;
  rssGrowthPct: number;
  heapGrowthPct: number;
  /** MiB gained from the base minute to the last, by kind: where the RSS growth is (null: not measured). */
  growthMiB: Record<MemoryKind, number | null>;
  /**
   * Least-squares slope of RSS over the second half of the run, MiB per hour: near 0 for memory
   * that filled a bound and stays, the rate of a leak otherwise (one minute's RSS swings by several
   * MiB, so the growth between two single minutes above says less). Information, not a goal.
   */
  rssSlopeSecondHalfMiBPerH: number | null;
  fds: { base: number; last: number; min: number; max: number };
  samples: { handed: number; stored: number; lost: number; devicesAnswered: number; devicesLosing: string[] };
  api5xx: number;
  pass: boolean;
  missed: string[];
}

const KINDS = {
  rssMiB: 'RSS (right after two full GCs)',
  rssMedianMiB: 'RSS, median of the minute (every 5 s, no forced GC)',
  rssAnonMiB: 'RSS anonymous (malloc, V8 heap, SQLite page cache)',
  rssFileMiB: 'RSS file-backed (code, mapped files, the WAL index)',
  rssShmemMiB: 'RSS shared memory',
  mallocMainMiB: 'of anonymous: main malloc arena (brk heap; SQLite page cache, statements)',
  heapMiB: 'V8 heap used (after a full GC)',
  heapTotalMiB: 'V8 heap reserved',
  externalMiB: 'V8 external',
  arrayBuffersMiB: 'ArrayBuffers (in external)',
  dbMiB: 'database file',
  walMiB: 'write-ahead log',
} as const;
export type MemoryKind = keyof typeof KINDS;

/** Goals: RSS growth ≤ 5 % after the base minute, descriptors flat (±5), no sample lost, no 5xx. */
export function evaluate(r: SoakRecord): SoakResult {
  const rows = r.perMinute;
  const baseMinute = rows.length >= 6 ? 5 : 1;
  const base = rows.find((m) => m.minute === baseMinute) ?? rows[0];
  const last = rows.at(-1);
  const after = rows.filter((m) => m.minute >= baseMinute);
  const pct = (a = 0, b = 1): number => Math.round(((a - b) / b) * 1000) / 10;
  const rssGrowthPct = pct(last?.rssMiB, base?.rssMiB);
  const heapGrowthPct = pct(last?.heapMiB, base?.heapMiB);
  const growthMiB = Object.fromEntries(
    (Object.keys(KINDS) as MemoryKind[]).map((k) => {
      const a = base?.[k];
      const b = last?.[k];
      return [k, a === undefined || b === undefined ? null : Math.round((b - a) * 10) / 10];
    }),
  ) as Record<MemoryKind, number | null>;
  const half = rows.filter((m) => m.minute > (last?.minute ?? 0) / 2 && m.minute >= baseMinute);
  const rssSlopeSecondHalfMiBPerH =
    half.length >= 4 ? Math.round(slope(half.map((m) => [m.minute, m.rssMiB])) * 60 * 10) / 10 : null;
  const fds = {
    base: base?.fds ?? 0,
    last: last?.fds ?? 0,
    min: Math.min(...after.map((m) => m.fds)),
    max: Math.max(...after.map((m) => m.fds)),
  };
  const answered = r.final.devices.filter((d) => d.handed > 0);
  const losing = answered.filter((d) => d.stored < d.handed);
  const handed = answered.reduce((a, d) => a + d.handed, 0);
  const stored = answered.reduce((a, d) => a + Math.min(d.stored, d.handed), 0);
  const api5xx = Object.entries(r.clients.rest.byStatus)
    .filter(([k]) => Number(k.replace(/^sse /, '')) >= 500)
    .reduce((a, [, n]) => a + n, 0);
  const missed: string[] = [];
  if (rssGrowthPct > 5) missed.push(`RSS grew ${rssGrowthPct} % after minute ${baseMinute}`);
  if (fds.max - fds.base > 5 || fds.last - fds.base > 2)
    missed.push(`open descriptors ${fds.base} → ${fds.last} (max ${fds.max})`);
  if (losing.length) missed.push(`${handed - stored} sample(s) lost from ${losing.length} device(s)`);
  if (api5xx) missed.push(`${api5xx} API answer(s) 5xx`);
  if (!rows.length) missed.push('no minute measured');
  return {
    baseMinute,
    rssGrowthPct,
    heapGrowthPct,
    growthMiB,
    rssSlopeSecondHalfMiBPerH,
    fds,
    samples: {
      handed,
      stored,
      lost: handed - stored,
      devicesAnswered: answered.length,
      devicesLosing: losing.map((d) => `${d.label}: ${d.handed - d.stored}`),
    },
    api5xx,
    pass: missed.length === 0,
    missed,
  };
}

export function markdown(r: SoakRecord, x: SoakResult): string {
  const ok = (b: boolean): string => (b ? 'met' : '**missed**');
  const loads = r.perMinute.map((m) => m.load[0] ?? 0);
  const c = r.clients;
  const statuses = Object.entries(c.rest.byStatus)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  const rtu = r.final.buses.filter((b) => b.endpoint.includes('ems-soak-line'));
  const sum = (k: 'requests' | 'crcErrors' | 'timeouts' | 'garbage'): number =>
    rtu.reduce((a, b) => a + b[k], 0);
  const lines = [
    `# Soak run — ${r.minutes} minutes, started ${r.startedAt}`,
    '',
    'Written by `npm run soak -- --minutes N` (bench/soak/run.ts); the figures of this run, on a machine',
    `shared with other work (${r.machine.cpus} cores; 1-min load average ${Math.min(...loads)}–${Math.max(...loads)}, median ${median(loads)}).`,
    '',
    `Setup: the demo plant plus ${String(r.setup.tcpDevices)} Modbus TCP and ${String(r.setup.rtuDevices)} RTU simulated devices` +
      ` (RTU on the emulated RS485 line, ${String(r.setup.flipRatePerChar)} bit flips per character ≈ 1 % garbled frames;` +
      ` the adapter unplugged for ${Math.round(Number(r.setup.adapterOutForMs) / 1000)} s every ${Math.round(Number(r.setup.adapterOutEveryMs) / 6000) / 10} min;` +
      ` ${String(r.setup.stall)}); a REST poller, an SSE reader and a bridge WebSocket at the same time.`,
    '',
    '## Goals',
    '',
    '| Goal | Result | |',
    '|---|---|---|',
    `| RSS growth after minute ${x.baseMinute} ≤ 5 % | ${x.rssGrowthPct} % (heap ${x.heapGrowthPct} %) | ${ok(x.rssGrowthPct <= 5)} |`,
    `| Open file descriptors flat | ${x.fds.base} at minute ${x.baseMinute} → ${x.fds.last} at the end (range ${x.fds.min}–${x.fds.max}) | ${ok(x.fds.max - x.fds.base <= 5 && x.fds.last - x.fds.base <= 2)} |`,
    `| No sample lost from a device that answered | ${x.samples.stored} of ${x.samples.handed} stored, ${x.samples.devicesAnswered} devices answered${x.samples.devicesLosing.length ? `; losing: ${x.samples.devicesLosing.join(', ')}` : ''} | ${ok(x.samples.lost === 0)} |`,
    `| No 5xx from the API | ${x.api5xx} | ${ok(x.api5xx === 0)} |`,
    '',
    `## Where the memory went (minute ${x.baseMinute} → minute ${r.perMinute.at(-1)?.minute ?? '?'})`,
    '',
    `SQLite: page cache ${cacheText(r.setup.sqlite)}.`,
    '',
    '| Kind | Minute ' + String(x.baseMinute) + ' MiB | Last MiB | Growth MiB |',
    '|---|---:|---:|---:|',
    ...(Object.keys(KINDS) as MemoryKind[]).map((k) => {
      const base = r.perMinute.find((m) => m.minute === x.baseMinute)?.[k];
      const last = r.perMinute.at(-1)?.[k];
      return `| ${KINDS[k]} | ${base ?? '—'} | ${last ?? '—'} | ${x.growthMiB[k] ?? '—'} |`;
    }),
    '',
    `RSS trend over the second half of the run (least squares): ${x.rssSlopeSecondHalfMiBPerH ?? '—'} MiB per hour.`,
    '',
    '## Clients and faults',
    '',
    `- REST: ${c.rest.requests} answers (${statuses}), ${c.rest.networkErrors} network errors.`,
    `- SSE: ${c.sse.connects} connection(s), ${c.sse.events} sample events, ${c.sse.errors} errors.`,
    `- Bridge: ${c.bridge.connects} connection(s), ${c.bridge.events} events, ${c.bridge.invokes} invokes (${c.bridge.failedInvokes} failed), ${c.bridge.errors} errors.`,
    `- soak RS485 line: ${sum('requests')} requests, ${sum('crcErrors')} bad CRC, ${sum('garbage')} garbage, ${sum('timeouts')} timeouts (adapter out ${r.faults.filter((f) => f.what.includes('unplugged')).length} times).`,
    '',
    '## Each minute',
    '',
    '| Minute | RSS MiB | RSS median MiB | Anon MiB | File MiB | Shmem MiB | brk MiB | Heap MiB | Heap reserved MiB | External MiB | ArrayBuffers MiB | DB MiB | WAL MiB | fds | Load 1/5/15 | Samples handed | Devices online |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.perMinute.map(
      (m) =>
        `| ${m.minute} | ${m.rssMiB} | ${m.rssMedianMiB ?? '—'} | ${m.rssAnonMiB ?? '—'} | ${m.rssFileMiB ?? '—'} | ${m.rssShmemMiB ?? '—'} | ${m.mallocMainMiB ?? '—'} | ${m.heapMiB} | ${m.heapTotalMiB ?? '—'} | ${m.externalMiB} | ${m.arrayBuffersMiB ?? '—'} | ${m.dbMiB ?? '—'} | ${m.walMiB ?? '—'} | ${m.fds} | ${m.load.join(' / ')} | ${m.handed} | ${m.online} |`,
    ),
    '',
    'Samples handed: good samples the poller gave the store so far (counted in the engine process);',
    'stored: raw samples the store holds for the same devices at the end, read through its own reader.',
    '',
  ];
  return lines.join('\n');
}

function cacheText(sqlite: unknown): string {
  const q = sqlite as { cacheSize?: number; mmapSize?: number; pageSize?: number } | undefined;
  if (!q || q.cacheSize === undefined) return 'not recorded';
  // cache_size < 0 is a size in KiB; > 0 a number of pages.
  const kib = q.cacheSize < 0 ? -q.cacheSize : (q.cacheSize * (q.pageSize ?? 4096)) / 1024;
  return `at most ${Math.round(kib / 102.4) / 10} MiB (cache_size ${q.cacheSize}), mmap_size ${q.mmapSize ?? '?'}, page ${q.pageSize ?? '?'} B`;
}

function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx ? sxy / sxx : 0;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? 0) : 0;
}

/**
 * The soak's figures as a section of bench/RESULTS.md (written by bench/run.ts from the last
 * bench/soak/soak.json, so they survive later bench runs). The goals are evaluated again from the record.
 */
export function resultsSection(r: SoakRecord, link: string): string[] {
  const x = evaluate(r);
  const ok = (b: boolean): string => (b ? 'met' : '**missed**');
  const loads = r.perMinute.map((m) => m.load[0] ?? 0);
  const statuses = Object.entries(r.clients.rest.byStatus)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  const g = x.growthMiB;
  const where = (['rssAnonMiB', 'mallocMainMiB', 'heapTotalMiB', 'rssFileMiB'] as const)
    .filter((k) => g[k] !== null)
    .map((k) => `${KINDS[k]} ${signed(g[k]!)} MiB`);
  const base = r.perMinute.find((m) => m.minute === x.baseMinute);
  const last = r.perMinute.at(-1);
  return [
    '## Soak',
    '',
    `From the last \`npm run soak -- --minutes N\` (bench/soak/soak.json; the whole report: [${link}](${link})):` +
      ` ${r.minutes} minutes from ${r.startedAt}, the demo plant plus ${String(r.setup.tcpDevices)} Modbus TCP and` +
      ` ${String(r.setup.rtuDevices)} RTU simulated devices with injected faults, REST, SSE and bridge clients at once;` +
      ` ${r.machine.cpus} cores shared with other work, 1-min load average ${Math.min(...loads)}–${Math.max(...loads)} (median ${median(loads)}).`,
    '',
    '| Goal | Figure | Verdict |',
    '|---|---|---|',
    `| RSS growth after minute ${x.baseMinute} ≤ 5 % | ${x.rssGrowthPct} % (${base?.rssMiB ?? '?'} → ${last?.rssMiB ?? '?'} MiB); V8 heap used ${x.heapGrowthPct} %${where.length ? `; ${where.join(', ')}` : ''}${x.rssSlopeSecondHalfMiBPerH === null ? '' : `; RSS trend over the second half ${signed(x.rssSlopeSecondHalfMiBPerH)} MiB/h`} | ${ok(x.rssGrowthPct <= 5)} |`,
    `| Open file descriptors flat | ${x.fds.base} at minute ${x.baseMinute} → ${x.fds.last} at the end (range ${x.fds.min}–${x.fds.max}) | ${ok(x.fds.max - x.fds.base <= 5 && x.fds.last - x.fds.base <= 2)} |`,
    `| No sample lost from a device that answered | ${x.samples.lost} lost; ${x.samples.stored} of ${x.samples.handed} stored from ${x.samples.devicesAnswered} devices | ${ok(x.samples.lost === 0)} |`,
    `| No 5xx from the API | ${x.api5xx} 5xx; REST answers by status: ${statuses || 'none'}; ${r.clients.rest.networkErrors} network errors | ${ok(x.api5xx === 0)} |`,
    '',
  ];
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
