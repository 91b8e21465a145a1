import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine.js';
import type { DeviceTree } from '../../src-main/store/config-repo.js';
import { UsageError } from '../../src-main/cli/args.js';
import { parseSignalOptions } from '../../src-main/cli/commands/virtual.js';
import { runCli } from '../helpers/cli.js';
import { addMeter, signal } from './plant.js';

interface Tree {
  uid: number;
  protocol: string;
  loads: {
    settings: Record<string, unknown>;
    signals: { uid: number; key: string; si: number; unit: string; kind: string }[];
  }[];
}

describe('ems-commissioner virtual add', () => {
  it('creates a virtual device from KEY=FORMULA options and refuses invalid ones with exit 2 and the reason', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-cli-virtual-')), 'ems.db');
    // The meters go in through the store directly: only the command under test runs as a process.
    const engine = new Engine({ dbFile: db, poll: false });
    const main = addMeter(engine, 'main', 5021);
    const pv = addMeter(engine, 'pv', 5022);
    await engine.close();
    const uid = (t: DeviceTree, key: string): number => signal(t, key).uid;

    const ok = await runCli([
      'virtual',
      'add',
      '--label',
      'house',
      '--signal',
      `active_power=s${uid(main, 'active_power')} - s${uid(pv, 'active_power')}`,
      '--signal',
      `energy_import = sum({${uid(main, 'energy_import')}}, {${uid(pv, 'energy_import')}})`,
      '--db',
      db,
      '--json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const tree = JSON.parse(ok.stdout) as Tree;
    expect(tree.protocol).toBe('virtual');
    expect(tree.loads[0]!.settings).toEqual({
      formulas: {
        active_power: `s${uid(main, 'active_power')} - s${uid(pv, 'active_power')}`,
        energy_import: `sum({${uid(main, 'energy_import')}}, {${uid(pv, 'energy_import')}})`,
      },
    });
    expect(tree.loads[0]!.signals.map((s) => [s.key, s.si, s.unit, s.kind])).toEqual([
      ['active_power', 1, 'W', 'gauge'],
      ['energy_import', 6, 'kWh', 'counter'],
    ]);

    const bad: [string[], RegExp][] = [
      [
        ['--signal', `voltage=s${uid(main, 'voltage_l1')} + s${uid(main, 'current_l1')}`],
        /voltage: cannot add V and A at column/,
      ],
      [['--signal', 'active_power=s999999'], /active_power: unknown signal s999999 at column 1/],
      [
        ['--signal', `active_power=s${uid(main, 'active_power')} +`],
        /active_power: the formula ends .* at column/,
      ],
      [['--signal', 'active_power'], /must look like KEY=FORMULA/],
    ];
    for (const [args, reason] of bad) {
      const r = await runCli(['virtual', 'add', '--label', 'x', ...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const after = JSON.parse((await runCli(['list', '--json', '--db', db])).stdout) as Tree[];
    expect(after.map((d) => d.protocol)).toEqual(['tcp', 'tcp', 'virtual']);
  }, 90_000);

  it('splits --signal at the first "=" and insists on both halves', () => {
    expect(parseSignalOptions([' active_power = s1 - s2 ', 'voltage=(s3+s4)/2'])).toEqual([
      { key: 'active_power', formula: 's1 - s2' },
      { key: 'voltage', formula: '(s3+s4)/2' },
    ]);
    expect(() => parseSignalOptions(undefined)).toThrow(UsageError);
    expect(() => parseSignalOptions(['=s1'])).toThrow(/must look like KEY=FORMULA/);
    expect(() => parseSignalOptions(['active_power='])).toThrow(/must look like KEY=FORMULA/);
  });
});
