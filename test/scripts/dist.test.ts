import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distPreflight } from '../../scripts/dist-preflight.js';

const ROOT = resolve(import.meta.dirname, '../..');
const base = { electronVersion: '45.4.1', platform: 'linux', arch: 'x64', timeoutMs: 5000 };

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('npm run dist before the builder starts', () => {
  let mirror: Server;
  let mirrorUrl: string;
  let dead: string;
  const emptyCache = mkdtempSync(join(tmpdir(), 'ems-electron-cache-'));

  beforeAll(async () => {
    // A stand-in for the download hosts on loopback: any answer means "reachable".
    mirror = createServer((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
    dead = `http://127.0.0.1:${await closedPort()}/`;
  });
  afterAll(() => new Promise<void>((r) => mirror.close(() => r())));

  it('refuses in one line, exit 1, when the Electron release cannot be downloaded', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dist.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: dead, ELECTRON_CACHE: emptyCache },
    });
    expect(r.status).toBe(1);
    const lines = `${r.stdout}${r.stderr}`.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^npm run dist: cannot build installers here: Electron .* is not cached and .* cannot be reached \(ECONNREFUSED\)$/,
    );
  });

  it('goes ahead when both download hosts answer', async () => {
    const env = {
      ELECTRON_CACHE: emptyCache,
      ELECTRON_MIRROR: mirrorUrl,
      ELECTRON_BUILDER_BINARIES_MIRROR: mirrorUrl,
    };
    expect(await distPreflight({ ...base, env })).toBeUndefined();
  });

  it('a cached Electron release needs no download, but the builder tools still do', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ems-electron-cache-'));
    mkdirSync(join(cache, 'abc123'));
    writeFileSync(join(cache, 'abc123', 'electron-v45.4.1-linux-x64.zip'), '');
    const env = { ELECTRON_CACHE: cache, ELECTRON_MIRROR: dead };
    expect(
      await distPreflight({ ...base, env: { ...env, ELECTRON_BUILDER_BINARIES_MIRROR: mirrorUrl } }),
    ).toBeUndefined();
    expect(await distPreflight({ ...base, env: { ...env, ELECTRON_BUILDER_BINARIES_MIRROR: dead } })).toMatch(
      /^electron-builder's tools cannot be downloaded from .* \(ECONNREFUSED\)$/,
    );
  });
});
