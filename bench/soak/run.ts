// `npm run soak -- --minutes N [--out DIR] [--heap-snapshots] [--sqlite-cache-kib N]` (not in CI): the demo plant plus 50
// simulated devices — 40 Modbus TCP (one stalls 20 s a minute), 10 RTU on an emulated RS485 line with
// ~1 % garbled frames whose adapter is unplugged for 30 s every 5 minutes — polled by the engine in a
// process of its own while REST, SSE and bridge clients read it. Writes DIR/soak.json and DIR/REPORT.md
// (default bench/soak/): heap, RSS, open descriptors and load each minute, samples handed to the store
// against samples stored per device, API answers by status, and the goals.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { startClients } from './clients.js';
import { evaluate, markdown, type SoakRecord } from './report.js';
import { FLIP_RATE, startSoakSims } from './sims.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    out: { type: 'string', default: resolve(import.meta.dirname) },
    'heap-snapshots': { type: 'boolean', default: false },
    // Diagnosis only: the store's SQLite page cache set to N KiB, to see RSS follow it.
    'sqlite-cache-kib': { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
  process.stderr.write('soak: --minutes must be a whole number of minutes, 1 to 1440\n');
  process.exit(2);
}
const log = (s: string): boolean => process.stderr.write(`[soak ${new Date().toISOString()}] ${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Faults on a schedule scaled to short runs: the adapter is out every 5 min (a third of the run when shorter).
const PERIOD_MS = Math.min(300_000, Math.max(30_000, (minutes * 60_000) / 3));
const OUT_MS = Math.min(30_000, PERIOD_MS / 3);

const sims = await startSoakSims(40, 10);
log(`${sims.devices.length} simulated devices up`);
const snapshots = values['heap-snapshots'] ? mkdtempSync(join(tmpdir(), 'ems-soak-heap-')) : '';
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(import.meta.dirname, 'engine-child.ts'),
    JSON.stringify(sims.devices),
    snapshots,
    values['sqlite-cache-kib'],
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const lines = createInterface({ input: child.stdout });
const minuteRows: SoakRecord['perMinute'] = [];
let final: SoakRecord['final'] | undefined;
const ready = new Promise<{ url: string; devices: number; sqlite: Record<string, number> }>((done, fail) => {
  child.once('exit', (code) => fail(new Error(`the engine exited with ${code}`)));
  lines.on('line', (l) => {
    const m = JSON.parse(l) as Record<string, unknown>;
    if (m.ready) done(m.ready as { url: string; devices: number; sqlite: Record<string, number> });
    else if (m.minute) {
      minuteRows.push(m as unknown as SoakRecord['perMinute'][number]);
      log(
        `minute ${String(m.minute)}: rss ${String(m.rssMiB)} MiB (anon ${String(m.rssAnonMiB)}, file ${String(m.rssFileMiB)}), heap ${String(m.heapMiB)} MiB, db ${String(m.dbMiB)} MiB, fds ${String(m.fds)}, load ${String((m.load as number[])[0])}`,
      );
    } else if (m.final) final = m.final as SoakRecord['final'];
  });
});
const { url, devices, sqlite } = await ready;
log(`engine up at ${url} with ${devices} devices (demo plant included); soaking for ${minutes} min`);
const clients = await startClients(url);
const faults: SoakRecord['faults'] = [];
const start = Date.now();
const end = start + minutes * 60_000 + 5_000; // the engine's last minute line comes first
const stallTimer = setInterval(() => {
  sims.stall(true);
  setTimeout(() => sims.stall(false), 20_000);
}, 60_000);
let nextCut = start + PERIOD_MS;
while (Date.now() < end) {
  if (Date.now() >= nextCut && nextCut + OUT_MS < end) {
    await sims.unplug();
    faults.push({ t: Date.now(), what: 'RS485 adapter unplugged' });
    await sleep(OUT_MS);
    await sims.plugIn();
    faults.push({ t: Date.now(), what: 'RS485 adapter plugged in' });
    nextCut += PERIOD_MS;
  }
  await sleep(1000);
}
clearInterval(stallTimer);
await clients.stop();
child.stdin.write('stop\n');
await new Promise<void>((r) => child.once('exit', () => r()));
await sims.stop();
if (!final) throw new Error('the engine ended without its final counts');

const record: SoakRecord = {
  startedAt: new Date(start).toISOString(),
  minutes,
  machine: { cpus: cpus().length, loadAtEnd: loadavg() },
  setup: {
    tcpDevices: 40,
    rtuDevices: 10,
    demoPlant: true,
    flipRatePerChar: FLIP_RATE,
    adapterOutEveryMs: PERIOD_MS,
    adapterOutForMs: OUT_MS,
    stall: 'tcp-0 answers 3 s late (TCP timeout 2 s) for 20 s of every minute',
    sqlite,
  },
  perMinute: minuteRows,
  final,
  clients: clients.counts,
  faults,
  heapSnapshots: snapshots || null,
};
const result = evaluate(record);
mkdirSync(values.out, { recursive: true });
// Formatted as the repository's Prettier check wants them, so the report can be committed as written.
const style = (await resolveConfig(import.meta.filename)) ?? {};
const json = JSON.stringify({ ...record, result });
writeFileSync(join(values.out, 'soak.json'), await format(json, { ...style, parser: 'json' }));
writeFileSync(
  join(values.out, 'REPORT.md'),
  await format(markdown(record, result), { ...style, parser: 'markdown' }),
);
log(
  `report in ${values.out}: ${result.pass ? 'all goals met' : `goals missed: ${result.missed.join('; ')}`}`,
);
process.exit(0);
