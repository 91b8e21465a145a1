import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { requireTool, sleep, waitForPort } from './peers.js';

/** A server the test started on loopback; `restart` stops it and starts it again on the same port and data. */
export interface Peer {
  port: number;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function spawnPeer(bin: string, args: string[], dir: string): ChildProcess {
  const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let err = '';
  p.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  p.once('exit', (code, sig) => {
    if (code && code !== 0 && sig === null) process.stderr.write(`${bin} exited ${code}: ${err}\n`);
  });
  return p;
}

async function stopProc(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
}

function peer(
  bin: string,
  pkg: string,
  args: (port: number, dir: string) => string[],
  ready: (port: number) => Promise<void>,
): () => Promise<Peer> {
  return async () => {
    requireTool(bin, pkg);
    const dir = mkdtempSync(join(tmpdir(), 'ems-peer-'));
    const port = await freePort();
    let proc: ChildProcess | undefined;
    const p: Peer = {
      port,
      dir,
      async start() {
        proc = spawnPeer(bin, args(port, dir), dir);
        await ready(port);
      },
      stop: () => stopProc(proc),
    };
    await p.start();
    return p;
  };
}

/**
 * Debian's mosquitto on a free loopback port, anonymous access, persistence in its temp dir (so a
 * restart keeps sessions of subscribers with clean-session off, like a production broker).
 */
export const startMosquitto = peer(
  '/usr/sbin/mosquitto',
  'mosquitto',
  (port, dir) => {
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${dir}/`,
        `user ${userInfo().username}`,
        'log_dest none',
        '',
      ].join('\n'),
    );
    return ['-c', conf];
  },
  (port) => waitForPort(port),
);

/** Debian's influxd 1.x: every port and directory in a temp dir, reporting off, HTTP on a free loopback port. */
export const startInfluxd = async (): Promise<Peer> => {
  const rpc = await freePort();
  return peer(
    '/usr/bin/influxd',
    'influxdb',
    (port, dir) => {
      const conf = join(dir, 'influxdb.conf');
      writeFileSync(
        conf,
        [
          'reporting-disabled = true',
          `bind-address = "127.0.0.1:${rpc}"`,
          '[meta]',
          `  dir = "${dir}/meta"`,
          '[data]',
          `  dir = "${dir}/data"`,
          `  wal-dir = "${dir}/wal"`,
          '  query-log-enabled = false',
          '[http]',
          `  bind-address = "127.0.0.1:${port}"`,
          '  log-enabled = false',
          '[monitor]',
          '  store-enabled = false',
          '[continuous_queries]',
          '  enabled = false',
          '',
        ].join('\n'),
      );
      return ['-config', conf];
    },
    async (port) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/ping`).then(
          (r) => r.status === 204,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error('influxd did not answer /ping');
        await sleep(100);
      }
    },
  )();
};

/**
 * Debian's VictoriaMetrics: an independent implementation of InfluxDB's 2.x write endpoint
 * (`/api/v2/write?org=…&bucket=…&precision=ms`, line protocol), so the 2.x path is tested against a
 * real server here, where no InfluxDB 2.x/3.x is packaged. Data in the temp dir survives a restart.
 */
export const startVictoriaMetrics = peer(
  '/usr/bin/victoria-metrics',
  'victoria-metrics',
  (port, dir) => [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${dir}/data`,
    '-retentionPeriod=100y',
    '-loggerLevel=ERROR',
  ],
  async (port) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error('victoria-metrics did not answer /health');
      await sleep(100);
    }
  },
);

/** Debian's prometheus scraping `target` every second, with its TSDB in a temp dir. */
export async function startPrometheus(target: string, bearer?: string): Promise<Peer> {
  return peer(
    '/usr/bin/prometheus',
    'prometheus',
    (port, dir) => {
      const conf = join(dir, 'prometheus.yml');
      writeFileSync(
        conf,
        [
          'global:',
          '  scrape_interval: 1s',
          'scrape_configs:',
          '  - job_name: ems',
          '    static_configs:',
          `      - targets: ['${target}']`,
          ...(bearer ? ['    authorization:', '      type: Bearer', `      credentials: ${bearer}`] : []),
          '',
        ].join('\n'),
      );
      return [
        `--config.file=${conf}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ];
    },
    async (port) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error('prometheus did not become ready');
        await sleep(100);
      }
    },
  )();
}

/** Polls `fn` until it returns something other than undefined. */
export async function eventually<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await sleep(100);
  }
}
