import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { runCli, runCliHere } from '../helpers/cli.js';
import { startPymodbus, type PymodbusSlave } from '../helpers/peers.js';
import { undescribedUnit } from '../helpers/undescribed-device.js';

const SLOW = 120_000;

describe('probe: a register range of an undescribed device, served by pymodbus', () => {
  let slave: PymodbusSlave;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    slave = await startPymodbus({ tcp: port }, { 5: undescribedUnit() });
  }, SLOW);
  afterAll(() => slave?.stop());

  it(
    'prints every register with its decodings and flags voltage, current, frequency and power; JSON has the same rows',
    async () => {
      const target = ['--host', '127.0.0.1', '--port', String(port), '--unit', '5'];
      const r = await runCli(['probe', ...target, '--registers', '0-21']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\s+0\s+08fd\s+2301 .*voltage 230\.1 V \(uint16 ×0\.1\)/m);
      expect(r.stdout).toMatch(/^\s+3\s+0264 .*current 6\.12 A \(uint16 ×0\.01\)/m);
      expect(r.stdout).toMatch(/^\s+6\s+0000 .*power 4210 W \(int32 ABCD\)/m);
      expect(r.stdout).toMatch(/^\s+8\s+138a .*frequency 50\.02 Hz \(uint16 ×0\.01\)/m);
      expect(r.stdout).toMatch(/^\s+10\s+\S+ .*12345\.5/m);
      // The refused gap is split down to single registers and named, the rest is still read.
      expect(r.stdout).toMatch(/^\s+12\s+----\s+\(not read/m);
      expect(r.stdout).toMatch(/^\s+20\s+3f7c /m);

      const j = await runCliHere(['probe', ...target, '--registers', '0-11', '--fc', '3', '--json']);
      expect(j.code, j.stderr).toBe(0);
      const doc = JSON.parse(j.stdout) as {
        rows: { address: number; word: number; float32?: Record<string, number> }[];
      };
      expect(doc.rows).toHaveLength(12);
      expect(doc.rows[10]?.float32?.CDAB).toBe(12345.5);
    },
    SLOW,
  );

  it(
    'bad usage exits 2; a range the device refuses entirely exits 1 with the reason',
    async () => {
      const target = ['--host', '127.0.0.1', '--port', String(port), '--unit', '5'];
      for (const args of [
        ['probe', ...target],
        ['probe', ...target, '--registers', 'x-y'],
        ['probe', ...target, '--registers', '0-5000'],
        ['probe', ...target, '--registers', '0-9', '--fc', '6'],
      ]) {
        const r = await runCliHere(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      }
      const none = await runCliHere(['probe', ...target, '--registers', '100-103', '--fc', '4']);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/returned none of registers 100-103 \(fc 4\).*exception 2/);
    },
    SLOW,
  );
});
