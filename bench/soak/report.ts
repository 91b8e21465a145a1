// The soak's goals computed from its record, and the record as markdown.
import type { ClientCounts } from './clients.js';

export interface MinuteRow {
  minute: number;
  t: number;
  rssMiB: number;
  heapMiB: number;
  externalMiB: number;
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
  fds: { base: number; last: number; min: number; max: number };
  samples: { handed: number; stored: number; lost: number; devicesAnswered: number; devicesLosing: string[] };
  api5xx: number;
  pass: boolean;
  missed: string[];
}

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
    '## Clients and faults',
    '',
    `- REST: ${c.rest.requests} answers (${statuses}), ${c.rest.networkErrors} network errors.`,
    `- SSE: ${c.sse.connects} connection(s), ${c.sse.events} sample events, ${c.sse.errors} errors.`,
    `- Bridge: ${c.bridge.connects} connection(s), ${c.bridge.events} events, ${c.bridge.invokes} invokes (${c.bridge.failedInvokes} failed), ${c.bridge.errors} errors.`,
    `- soak RS485 line: ${sum('requests')} requests, ${sum('crcErrors')} bad CRC, ${sum('garbage')} garbage, ${sum('timeouts')} timeouts (adapter out ${r.faults.filter((f) => f.what.includes('unplugged')).length} times).`,
    '',
    '## Each minute',
    '',
    '| Minute | RSS MiB | Heap MiB | External MiB | fds | Load 1/5/15 | Samples handed | Devices online |',
    '|---|---|---|---|---|---|---|---|',
    ...r.perMinute.map(
      (m) =>
        `| ${m.minute} | ${m.rssMiB} | ${m.heapMiB} | ${m.externalMiB} | ${m.fds} | ${m.load.join(' / ')} | ${m.handed} | ${m.online} |`,
    ),
    '',
    'Samples handed: good samples the poller gave the store so far (counted in the engine process);',
    'stored: raw samples the store holds for the same devices at the end, read through its own reader.',
    '',
  ];
  return lines.join('\n');
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? 0) : 0;
}
