import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WriteReport } from '../../src-main/commissioning/config-write.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { startRs485Line, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { serveSerialBus, serveTcpBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import type { ConfigWriteEntry } from '../../src-main/store/config-writes-repo.js';
import { Store } from '../../src-main/store/store.js';
import { BIN, runCli } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';

/**
 * A setting job that dies (SIGKILL) or loses its adapter between two writes: the audit log says which
 * settings reached the meter and which are unknown, and running the same job again settles the
 * unknown ones from what the meter holds and finishes the job.
 */
const library = loadLibrary();
const em24 = library.require('cg-em24-rs485');
// In write order (see writeOrder: the CT ratio last); the two-word CT ratio takes two FC06 writes.
const JOB = { measuring_mode: 7, demand_interval: 20, digital_input_mode: 1, ct_ratio: 40 };
const SETS = Object.entries(JOB).map(([k, v]) => `${k}=${v}`);
const SLOW = 120_000;

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'ems-interrupt-')), 'ems.db');

function auditLog(file: string): ConfigWriteEntry[] {
  const store = new Store({ file });
  try {
    return store.configWrites.list().reverse();
  } finally {
    store.close();
  }
}

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** What the simulated meter holds for a setting, in the setting's unit. */
const held = (m: SimulatedMeter, key: string): number | undefined => m.image.setting(key);

describe('interrupted setting jobs', () => {
  it(
    'SIGKILL between two writes: the first is logged ok, the second pending (unknown); a rerun settles it from the meter and finishes',
    async () => {
      const meter = new SimulatedMeter({ model: em24, unit: 1, delayMs: 400 });
      const port = await freePort();
      const sim = await serveTcpBus(new SimulatedBus([meter], { anyUnit: true }), port);
      cleanup.push(() => sim.stop());
      const db = dbFile();
      new Store({ file: db }).close(); // migrated before the child and this test read it side by side
      const target = ['--model', em24.id, '--host', '127.0.0.1', '--port', String(port), '--unit', '1'];
      const args = [BIN, 'configure', ...target, ...SETS.flatMap((s) => ['--set', s]), '--db', db];
      const child = spawn(process.execPath, [...args, '--who', 'tech-k', '--timeout', '5000'], {
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, sig) => r(sig)));
      cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));

      // Killed while the second setting is on its way (its reply is 400 ms late).
      const atKill = await until('the second setting to be sent', () => {
        const log = auditLog(db);
        return log.length === 2 && log[1]?.outcome === 'pending' ? log : undefined;
      });
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(atKill.map((e) => [e.key, e.outcome])).toEqual([
        ['measuring_mode', 'ok'],
        ['demand_interval', 'pending'],
      ]);
      expect(held(meter, 'measuring_mode')).toBe(7);
      await sleep(600); // the meter finishes what it received, as a real one would
      const log = auditLog(db);
      expect(log.map((e) => e.outcome)).toEqual(['ok', 'pending']);
      expect(log[1]).toMatchObject({ who: 'tech-k', old: 1, new: 20, readback: null });
      expect(held(meter, 'ct_ratio')).toBe(1);

      const shown = await runCli(['configure', ...target, '--log', '--db', db]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(/measuring_mode 0 → 7 \(reads 7\)\s+ok/);
      expect(shown.stdout).toMatch(/demand_interval 1 → 20\s+unknown: reached the meter or not/);
      expect(shown.stdout).toMatch(/1 write\(s\) of unknown arrival/);

      // The same job again: reads first, settles the pending row from the meter, writes only what is missing.
      const reached = held(meter, 'demand_interval') === 20;
      const again = await runCli([
        'configure',
        ...target,
        ...SETS.flatMap((s) => ['--set', s]),
        '--db',
        db,
        '--json',
      ]);
      expect(again.code, again.stderr).toBe(0);
      const report = JSON.parse(again.stdout) as WriteReport;
      expect(report.resolved).toMatchObject([{ key: 'demand_interval', requested: 20, who: 'tech-k' }]);
      expect(report.resolved[0]?.reached).toBe(reached);
      expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
        ['measuring_mode', 'unchanged'],
        ['demand_interval', reached ? 'unchanged' : 'ok'],
        ['digital_input_mode', 'ok'],
        ['ct_ratio', 'ok'],
      ]);
      for (const [k, v] of Object.entries(JOB)) expect(held(meter, k), k).toBe(v);
      const after = auditLog(db);
      expect(after.filter((e) => e.outcome === 'pending' || e.outcome === 'unknown')).toEqual([]);
      expect(after[1]).toMatchObject({ key: 'demand_interval', outcome: reached ? 'ok' : 'failed' });
      expect(after[1]?.message).toMatch(/interrupted while sending it; a later read .* found/);
    },
    SLOW,
  );

  it(
    'adapter cut mid-job (the RS485 line goes away): the setting on its way is unknown, the rest skipped; restored, the same job settles and finishes it',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ems-cut-'));
      const paths = [join(dir, 'adapter'), join(dir, 'meter')];
      const meter = new SimulatedMeter({ model: em24, unit: 1, delayMs: 300 });
      let line: Rs485Line | undefined;
      let sim: RunningBus | undefined;
      const plugIn = async (): Promise<void> => {
        line = await startRs485Line({ ends: paths.map((path) => ({ path })) });
        sim = await serveSerialBus(new SimulatedBus([meter]), paths[1]!);
      };
      const unplug = async (): Promise<void> => {
        await line?.stop();
        await sim?.stop();
      };
      await plugIn();
      cleanup.push(unplug);
      const engine = new Engine({ dbFile: dbFile(), poll: false });
      cleanup.push(() => engine.close());
      const conn = { port: paths[0]!, baud: 9600, parity: 'none' as const, stopBits: 1 as const, unit: 1 };
      const lid = engine.addDevice(deviceFromModel(em24, { ...conn, model: em24.id }, engine.catalogue))
        .loads[0]!.uid;

      const job = engine.writeLoadConfig(lid, JOB, 'tech-l');
      await until('the second setting to be sent', () => {
        const log = engine.configWriteLog({ lid });
        return log.length === 2 && log[0]?.outcome === 'pending' ? log : undefined;
      });
      await unplug();
      const cut = await job;
      expect(cut.ok).toBe(false);
      expect(cut.results.map((r) => [r.key, r.outcome])).toEqual([
        ['measuring_mode', 'ok'],
        ['demand_interval', 'unknown'],
        ['digital_input_mode', 'skipped'],
        ['ct_ratio', 'skipped'],
      ]);
      expect(cut.results[1]?.message).toMatch(
        /whether it reached the meter is unknown: run the same job again/,
      );
      expect(cut.message).toMatch(/^demand_interval: .*Written before that: measuring_mode$/);
      const log = engine.configWriteLog({ lid }).reverse();
      expect(log.map((e) => [e.key, e.outcome])).toEqual([
        ['measuring_mode', 'ok'],
        ['demand_interval', 'unknown'],
      ]);
      expect(held(meter, 'ct_ratio')).toBe(1);

      // The simulated meter executes a request after its reply delay: one it got just before the cut
      // lands up to 300 ms later. Read what it holds once that has passed (CI saw it land after).
      await new Promise((r) => setTimeout(r, (meter.o.delayMs ?? 0) + 200));
      const reached = held(meter, 'demand_interval') === 20;
      await plugIn();
      const again = await engine.writeLoadConfig(lid, JOB, 'tech-l');
      expect(again.ok, again.message).toBe(true);
      expect(again.resolved).toMatchObject([{ key: 'demand_interval', requested: 20, reached }]);
      expect(again.results.map((r) => [r.key, r.outcome])).toEqual([
        ['measuring_mode', 'unchanged'],
        ['demand_interval', reached ? 'unchanged' : 'ok'],
        ['digital_input_mode', 'ok'],
        ['ct_ratio', 'ok'],
      ]);
      for (const [k, v] of Object.entries(JOB)) expect(held(meter, k), k).toBe(v);
      const settled = engine.configWriteLog({ lid }).reverse();
      expect(settled[1]).toMatchObject({ key: 'demand_interval', outcome: reached ? 'ok' : 'failed' });
      expect(settled[1]?.message).toMatch(/line went away while sending it; a later read .* found/);
      expect(settled.some((e) => e.outcome === 'pending' || e.outcome === 'unknown')).toBe(false);
    },
    SLOW,
  );

  it(
    'a pending write the meter never got is settled as not reached, and written by the rerun',
    async () => {
      const meter = new SimulatedMeter({ model: em24, unit: 1 });
      const port = await freePort();
      const sim = await serveTcpBus(new SimulatedBus([meter], { anyUnit: true }), port);
      cleanup.push(() => sim.stop());
      const db = dbFile();
      const store = new Store({ file: db });
      // What a job killed before its frame left the machine leaves behind.
      store.configWrites.add({
        who: 'tech-m',
        did: null,
        lid: null,
        key: 'ct_ratio',
        old: 1,
        new: 50,
        readback: null,
        outcome: 'pending',
        message: 'being sent',
        target: `tcp://127.0.0.1:${port} unit 1`,
      });
      store.close();
      const target = ['--model', em24.id, '--host', '127.0.0.1', '--port', String(port), '--unit', '1'];
      const r = await runCli(['configure', ...target, '--set', 'ct_ratio=50', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /earlier: ct_ratio = 50 \(.*, tech-m\) was interrupted; the meter holds 1: it did not reach the meter/,
      );
      expect(r.stdout).toMatch(/ct_ratio\s+1 → 50\s+ok/);
      expect(held(meter, 'ct_ratio')).toBe(50);
      const log = auditLog(db);
      expect(log.map((e) => [e.key, e.outcome, e.readback])).toEqual([
        ['ct_ratio', 'failed', 1],
        ['ct_ratio', 'ok', 50],
      ]);
    },
    SLOW,
  );
});
