import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine.js';
import { runCli } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';
import { mbusLine, p1Port } from '../helpers/sim-lines.js';

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});
const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'ems-disc-')), 'ems.db');

describe('M-Bus and P1 discovery through the engine and the CLI', () => {
  it('an M-Bus scan finds both meters, and Add configures one that the poller then reads', async () => {
    const pty = { a: await mbusLine(cleanup) };
    const engine = new Engine({ dbFile: dbFile() });
    cleanup.push(() => engine.close());
    const progress: number[] = [];
    const found = await engine.scanMbus(
      { port: pty.a, primary: { from: 0, to: 10 } },
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(found.map((f) => [f.primaryAddress, f.id])).toEqual([
      [3, '31000003'],
      [8, '31000008'],
    ]);
    expect(progress.at(-1)).toBe(11);
    engine.start();
    const tree = engine.addMbusMeter(found[1]!, pty.a, 'Heat meter');
    expect(tree.protocol).toBe('meterBus');
    const uids = tree.loads[0]!.signals.map((s) => s.uid);
    const deadline = Date.now() + 15_000;
    while (!engine.store.samples.realtime(uids).some((r) => r.s === 1)) {
      if (Date.now() > deadline) throw new Error('no value from the added M-Bus meter');
      await sleep(100);
    }
  });

  it('scan mbus prints what answered; --json gives the readouts with mapped signals', async () => {
    const pty = { a: await mbusLine(cleanup) };
    const r = await runCli(['scan', 'mbus', '--port', pty.a, '--primary', '0-9', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { primaryAddress: number; signals: Record<string, unknown> }[];
    expect(out.map((m) => m.primaryAddress)).toEqual([3, 8]);
    expect(Object.keys(out[0]!.signals)).toContain('energy_import');
    const bad = await runCli(['scan', 'mbus', '--port', pty.a, '--baud', '1234']);
    expect(bad.code).toBe(2);
  });

  it('P1 detection reports the settings and DSMR version; Add configures the port; scan p1 says the same', async () => {
    const pty = { a: await p1Port(cleanup) };
    const engine = new Engine({ dbFile: dbFile(), poll: false });
    cleanup.push(() => engine.close());
    const r = await engine.detectP1(pty.a, { listenMs: 4000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dsmr).toBe('5.0');
    expect(r.settings).toMatchObject({ baudRate: 115200, dataBits: 8, parity: 'none' });
    const tree = engine.addP1(r);
    expect(tree.protocol).toBe('P1');
    expect(tree.loads.map((l) => l.label)).toEqual(['Electricity', 'Gas (M-Bus 1)']);
    const cli = await runCli(['scan', 'p1', '--port', pty.a, '--listen', '4']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/115200 8N1, DSMR 5\.0/);
  });
});
