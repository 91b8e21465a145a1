// The soak's engine: `serve` as it runs on site (engine + demo plant + API + bridge) in a process of its
// own, polling the soak's simulated devices. Prints one JSON line per event on stdout:
// {"ready":…} once listening, {"minute":n,…} each minute, {"final":…} after "stop" on stdin.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { startRuntime } from '../../src-main/runtime.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import type { Sample } from '../../src-main/store/samples-repo.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const say = (o: object): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);
const MiB = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;

export interface SoakDevice {
  name: string;
  model: string;
  tcp?: { port: number };
  rtu?: { path: string; baud: number; unit: number };
}

const devices = JSON.parse(process.argv[2] ?? '[]') as SoakDevice[];
const snapshotsDir = process.argv[3] || undefined;
/** --sqlite-cache-kib: a page cache other than the store's own, to see how RSS follows it. */
const cacheKiB = Number(process.argv[4]) || undefined;
const dir = mkdtempSync(join(tmpdir(), 'ems-soak-'));
const dbFile = join(dir, 'ems.db');
const rt = await startRuntime({
  dbFile,
  demo: 'always',
  api: { host: '127.0.0.1', port: await freePort() },
});
const { engine } = rt;
if (cacheKiB) engine.store.db.pragma(`cache_size = -${cacheKiB}`);
const pragma = (name: string): number => Number(engine.store.db.pragma(name, { simple: true }));
engine.store.users.add('soak', 'soak-password-1', 'admin');

// Samples the poller handed to the store, per device: every good (status 1) number or text of a poll
// that answered. The store must hold each of them (counted again at the end).
const uidToDevice = new Map<number, number>();
const handed = new Map<number, number>();
const sink = engine.store.samples;
const ingest = sink.ingest.bind(sink);
sink.ingest = (samples: readonly Sample[]): void => {
  for (const s of samples) {
    const good = s.s === 1 && (typeof s.v === 'string' || (typeof s.v === 'number' && Number.isFinite(s.v)));
    if (good) handed.set(s.uid, (handed.get(s.uid) ?? 0) + 1);
  }
  ingest(samples);
};

const byName = new Map<string, number>();
for (const d of devices) {
  const model = engine.library.require(d.model);
  const conn = d.tcp
    ? { host: '127.0.0.1', port: d.tcp.port, unit: 1, model: model.id }
    : {
        port: d.rtu!.path,
        baud: d.rtu!.baud,
        parity: 'none' as const,
        stopBits: 1 as const,
        unit: d.rtu!.unit,
        model: model.id,
      };
  const tree = engine.addDevice({ ...deviceFromModel(model, conn, engine.catalogue), label: d.name });
  byName.set(d.name, tree.uid);
}
for (const d of engine.store.config.devices())
  for (const l of engine.store.config.loads({ did: d.uid }))
    for (const s of engine.store.config.signals({ lid: l.uid })) uidToDevice.set(s.uid, d.uid);

const started = Date.now();
const fds = (): number => readdirSync('/proc/self/fd').length;
const fileMiB = (f: string): number => {
  try {
    return MiB(statSync(f).size);
  } catch {
    return 0;
  }
};
/** Where the resident memory is (Linux): anonymous (malloc, V8, SQLite's page cache), file-backed
 * (code and anything mapped from files, e.g. SQLite's mmap and WAL index) and shared memory. */
const rssSplit = (): { rssAnonMiB: number; rssFileMiB: number; rssShmemMiB: number } | object => {
  try {
    const st = readFileSync('/proc/self/status', 'utf8');
    const kib = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st)?.[1] ?? NaN);
    // The brk heap is the main malloc arena: SQLite's page cache and statements (the engine's thread)
    // live there; V8's heap and the malloc arenas of other threads are mappings of their own.
    const smaps = readFileSync('/proc/self/smaps', 'utf8');
    const brk = /\[heap\]\n(?:.*\n)*?Rss:\s+(\d+) kB/.exec(smaps)?.[1];
    return {
      rssAnonMiB: MiB(kib('RssAnon') * 1024),
      rssFileMiB: MiB(kib('RssFile') * 1024),
      rssShmemMiB: MiB(kib('RssShmem') * 1024),
      ...(brk ? { mallocMainMiB: MiB(Number(brk) * 1024) } : {}),
    };
  } catch {
    return {};
  }
};
const perDevice = (counts: ReadonlyMap<number, number>): Map<number, number> => {
  const out = new Map<number, number>();
  for (const [uid, n] of counts) {
    const did = uidToDevice.get(uid);
    if (did !== undefined) out.set(did, (out.get(did) ?? 0) + n);
  }
  return out;
};
const handedTotal = (): number => [...handed.values()].reduce((a, b) => a + b, 0);
const status = (): { cycles: number; failures: number; online: number } => {
  const all = engine.poller.status();
  return {
    cycles: all.reduce((a, s) => a + s.cycles, 0),
    failures: all.filter((s) => s.state !== 'online').length,
    online: all.filter((s) => s.state === 'online').length,
  };
};

say({
  ready: {
    url: rt.url,
    devices: engine.store.config.devices().length,
    byName: Object.fromEntries(byName),
    sqlite: {
      cacheSize: pragma('cache_size'),
      mmapSize: pragma('mmap_size'),
      pageSize: pragma('page_size'),
      walAutocheckpoint: pragma('wal_autocheckpoint'),
    },
  },
});

// RSS as the running engine has it: every 5 s, no forced GC (the minute's figures below come right
// after two full GCs, whose evacuation pages are still resident for a while: a few MiB either way).
let rssSamples: number[] = [];
const sampler = setInterval(() => rssSamples.push(process.memoryUsage.rss()), 5000);
const medianOf = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;

let minute = 0;
const tick = setInterval(() => {
  minute++;
  const rssMedian = medianOf(rssSamples);
  rssSamples = [];
  gc();
  gc();
  const m = process.memoryUsage();
  say({
    minute,
    t: Date.now(),
    rssMiB: MiB(m.rss),
    rssMedianMiB: MiB(rssMedian),
    heapMiB: MiB(m.heapUsed),
    heapTotalMiB: MiB(m.heapTotal),
    externalMiB: MiB(m.external),
    arrayBuffersMiB: MiB(m.arrayBuffers),
    ...rssSplit(),
    dbMiB: fileMiB(dbFile),
    walMiB: fileMiB(`${dbFile}-wal`),
    fds: fds(),
    load: loadavg().map((x) => Math.round(x * 100) / 100),
    handed: handedTotal(),
    ...status(),
  });
  if (snapshotsDir && (minute === 5 || minute % 30 === 0))
    writeHeapSnapshot(join(snapshotsDir, `engine-minute-${minute}.heapsnapshot`));
}, 60_000);

const lines = createInterface({ input: process.stdin });
lines.on('line', (l) => {
  if (l.trim() !== 'stop') return;
  clearInterval(tick);
  clearInterval(sampler);
  sink.flush();
  // Stored raw samples per device since the start, numbers and texts, from the store's own reader.
  const stored = new Map<number, number>();
  const end = Date.now() + 1000;
  for (const uid of uidToDevice.keys()) {
    let n = 0;
    for (const _ of engine.store.raw.points(uid, started - 1000, end)) n++;
    for (const _ of engine.store.raw.texts(uid, started - 1000, end)) n++;
    stored.set(uid, n);
  }
  const handedBy = perDevice(handed);
  const storedBy = perDevice(stored);
  const names = new Map(engine.store.config.devices().map((d) => [d.uid, d.label]));
  const statuses = new Map(engine.poller.status().map((s) => [s.uid, s]));
  say({
    final: {
      devices: [...names].map(([uid, label]) => ({
        uid,
        label,
        handed: handedBy.get(uid) ?? 0,
        stored: storedBy.get(uid) ?? 0,
        cycles: statuses.get(uid)?.cycles ?? 0,
        state: statuses.get(uid)?.state ?? null,
      })),
      buses: engine.busList().map((b) => {
        const rows = engine.busStats(b.key);
        const sum = (k: 'requests' | 'timeouts' | 'crcErrors' | 'garbage'): number =>
          rows.reduce((a, r) => a + r[k], 0);
        return {
          endpoint: b.endpoint,
          requests: sum('requests'),
          timeouts: sum('timeouts'),
          crcErrors: sum('crcErrors'),
          garbage: sum('garbage'),
        };
      }),
    },
  });
  void rt.close().then(() => process.exit(0));
});
