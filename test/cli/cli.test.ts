import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSamplesCsv } from '../../src-main/cli/commands/samples.js';
import { saveSettings } from '../../src-main/ipc/settings-store.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { Store } from '../../src-main/store/store.js';
import { runCli, startServe } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ems-cli-'));

describe('ems-commissioner command', () => {
  it('prints usage and exits 2 without a command, and on an unknown one', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/usage: ems-commissioner/);
    const u = await runCli(['frobnicate']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('rejects bad arguments with a one-line reason and exit code 2, never a stack trace', async () => {
    for (const args of [
      ['read', '--model', 'eastron-sdm630', '--host', '127.0.0.1', '--unit', 'abc'],
      ['read', '--model', 'nope', '--unit', '1', '--port', '/dev/null'],
      ['serve', '--port', '99999'],
      ['samples', 'export', '--uids', '1-x'],
      ['users', 'add'],
      ['read', '--bogus'],
    ]) {
      const r = await runCli(args, undefined, { EMS_DB: join(tmp(), 'x.db') });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 1 with a reason when an operation fails (nothing listening)', async () => {
    const r = await runCli([
      'read',
      '--model',
      'eastron-sdm630',
      '--host',
      '127.0.0.1',
      '--port',
      '1',
      '--unit',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ECONNREFUSED|failed/);
  });

  it('adds accounts from stdin, imports samples and lists the configuration', async () => {
    const db = join(tmp(), 'ems.db');
    const add = await runCli(
      ['users', 'add', 'tech', '--role', 'admin', '--password-stdin', '--db', db],
      'long enough pw\n',
    );
    expect(add.code).toBe(0);
    expect((await runCli(['users', 'list', '--json', '--db', db])).stdout).toContain('"role":"admin"');
    const dev = await runCli([
      'add',
      '--model',
      'cg-em24-rs485',
      '--host',
      '127.0.0.1',
      '--port',
      '5020',
      '--unit',
      '3',
      '--json',
      '--db',
      db,
    ]);
    expect(dev.code).toBe(0);
    const tree = JSON.parse(dev.stdout) as { loads: { signals: { uid: number; key: string }[] }[] };
    const volt = tree.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!;
    const csv = join(tmp(), 's.csv');
    writeFileSync(
      csv,
      `signal_uid,t_ms,value\n${volt.uid},1735689601000,230\n${volt.uid},1735689602000,232\n`,
    );
    const imp = await runCli(['samples', 'import', csv, '--db', db]);
    expect(imp.stdout).toMatch(/imported 2 samples, 1 history period/);
    const exp = await runCli(['samples', 'export', '--uids', String(volt.uid), '--db', db]);
    expect(exp.stdout.trim().split('\n')).toEqual([
      'uid,t,p,v,d,max,min',
      `${volt.uid},1735689602,1735689660,231,0,232,230`,
    ]);
    const bad = join(tmp(), 'bad.csv');
    writeFileSync(bad, `999999,1,2\n`);
    const rej = await runCli(['samples', 'import', bad, '--db', db]);
    expect(rej.code).toBe(1);
    expect(rej.stderr).toMatch(/unknown signal uid/);
    const list = await runCli(['list', '--db', db]);
    expect(list.stdout).toMatch(/device \d+ .*cg-em24-rs485/);
    expect(list.stdout).toMatch(/signal \d+ +si 11 +voltage_l1 \[V\]/);
  });

  it('serve --demo answers /ver, polls the demo meters through the real drivers, and logs its URL', async () => {
    const db = join(tmp(), 'ems.db');
    const s = await startServe(['--demo', '--port', '0', '--db', db]);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ver = await fetch(`${s.url}/ver`);
      expect(await ver.json()).toEqual({ api_ver: 1 });
      await sleep(2500);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
    const list = await runCli(['list', '--json', '--db', db]);
    const devices = JSON.parse(list.stdout) as { label: string }[];
    expect(devices.map((d) => d.label)).toEqual(
      expect.arrayContaining(['Main meter (demo)', 'Heat pump (demo)']),
    );
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(db, { readonly: true });
    const fresh = conn
      .prepare('SELECT count(*) FROM realtime WHERE s = 1 AND v > 200 AND v < 260')
      .pluck()
      .get() as number;
    conn.close();
    expect(fresh).toBeGreaterThan(0);
  });
});

describe('serve with settings saved in the UI', () => {
  it('listens on the saved API port unless the command line names one', async () => {
    const db = join(tmp(), 'ems.db');
    const port = await freePort();
    const store = new Store({ file: db });
    saveSettings(store.meta, { api: { host: '127.0.0.1', port }, rawRetentionDays: 3 });
    store.close();
    const s = await startServe(['--db', db]);
    try {
      expect(s.url).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`${s.url}/ver`)).status).toBe(200);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
  });
});

describe('samples CSV parsing', () => {
  it('reports every bad line with its number', () => {
    const r = parseSamplesCsv('1,1000,2.5\nx,1,1\n1,abc,1\n1,1000,\n2,2000,-1e3\n');
    expect(r.rows).toEqual([
      { uid: 1, t: 1000, v: 2.5 },
      { uid: 2, t: 2000, v: -1000 },
    ]);
    expect(r.errors.map((e) => e.split(':')[0])).toEqual(['line 2', 'line 3', 'line 4']);
  });
});
