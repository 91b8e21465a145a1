import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src-main/engine.js';
import type { DeviceTree } from '../../src-main/store/config-repo.js';
import {
  VirtualValidationError,
  type VirtualDeviceSpec,
  type VirtualErrorCode,
} from '../../src-main/virtual/validate.js';
import { formulasOf } from '../../src-main/virtual/virtual-config.js';
import { addMeter, signal, tmpEngine } from './plant.js';

let engine: Engine;
let main: DeviceTree;
let pv: DeviceTree;
beforeEach(() => {
  engine = tmpEngine();
  main = addMeter(engine, 'main', 1502);
  pv = addMeter(engine, 'pv', 1503);
});
afterEach(async () => {
  await engine.close();
});

const s = (tree: DeviceTree, key: string): string => `s${signal(tree, key).uid}`;

function rejected(spec: VirtualDeviceSpec): VirtualValidationError {
  const before = engine.store.config.devices().length;
  try {
    engine.addVirtualDevice(spec);
  } catch (err) {
    expect(engine.store.config.devices().length, 'nothing is saved').toBe(before);
    if (err instanceof VirtualValidationError) return err;
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(spec)}`);
}

const expectRejected = (spec: VirtualDeviceSpec, code: VirtualErrorCode, message: RegExp): void => {
  const e = rejected(spec);
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
};

describe('virtual device validation', () => {
  it('saves main - pv, sums of counters and ratios, with si/unit/kind from the catalogue key', () => {
    const tree = engine.addVirtualDevice({
      label: 'house',
      pollMs: 500,
      signals: [
        { key: 'active_power', formula: `${s(main, 'active_power')} - ${s(pv, 'active_power')}` },
        {
          key: 'energy_import',
          formula: `sum(${s(main, 'energy_import')}, {${signal(pv, 'energy_import').uid}})`,
        },
        { key: 'active_power_l1', formula: `${s(main, 'active_power_l1')} * 0.5 + 10` },
        { key: 'power_factor', formula: `active_power / ${s(main, 'apparent_power')}` },
        { key: 'voltage', formula: `(${s(main, 'voltage_l1')} + ${s(main, 'voltage_l2')}) / 2` },
        { key: 'current', formula: `max(abs(${s(main, 'current_l1')}), ${s(pv, 'current_l1')})` },
      ],
    });
    expect(tree.protocol).toBe('virtual');
    expect(tree.pollMs).toBe(500);
    const stored = engine.store.config.deviceTree(tree.uid)!;
    const load = stored.loads[0]!;
    expect(formulasOf(load.settings).get('active_power')).toBe(
      `${s(main, 'active_power')} - ${s(pv, 'active_power')}`,
    );
    const energy = load.signals.find((x) => x.key === 'energy_import')!;
    expect([energy.si, energy.unit, energy.kind]).toEqual([6, 'kWh', 'counter']);
    const pf = load.signals.find((x) => x.key === 'power_factor')!;
    expect([pf.si, pf.unit, pf.kind]).toEqual([4, '', 'gauge']);
    expect(load.signals.map((x) => x.key)).toEqual([
      'active_power',
      'energy_import',
      'active_power_l1',
      'power_factor',
      'voltage',
      'current',
    ]);
  });

  it('rejects an unknown signal uid, and names a device or load uid as such', () => {
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: `${s(main, 'active_power')} + s99999` }] },
      'unknown-signal',
      /active_power: unknown signal s99999 at column \d+/,
    );
    const e = rejected({ label: 'x', signals: [{ key: 'active_power', formula: `s${main.uid}` }] });
    expect(e.message).toMatch(new RegExp(`s${main.uid} at column 1 is a device, not a signal`));
    expect(e.pos).toBe(0);
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: `s${main.loads[0]!.uid} * 2` }] },
      'unknown-signal',
      /is a load, not a signal/,
    );
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: 'reactive_power + 1' }] },
      'unknown-signal',
      /"reactive_power" at column 1 is not a signal of this virtual device/,
    );
  });

  it('rejects a cycle between the signals of the new device (A → B → A)', () => {
    expectRejected(
      {
        label: 'loop',
        signals: [
          { key: 'energy_import', formula: `energy_export + ${s(main, 'energy_import')}` },
          { key: 'energy_export', formula: 'energy_import * 2' },
        ],
      },
      'cycle',
      /cycle through virtual signals: energy_import → energy_export → energy_import/,
    );
    expectRejected(
      { label: 'self', signals: [{ key: 'active_power', formula: 'active_power + 1' }] },
      'cycle',
      /active_power → active_power/,
    );
  });

  it('rejects a cycle through other virtual devices already in the configuration', () => {
    const a = engine.addVirtualDevice({
      label: 'A',
      signals: [{ key: 'active_power', formula: s(main, 'active_power') }],
    });
    const aP = signal(a, 'active_power').uid;
    const b = engine.addVirtualDevice({
      label: 'B',
      signals: [{ key: 'active_power', formula: `s${aP} * 2` }],
    });
    const bP = signal(b, 'active_power').uid;
    // An edit made behind validation's back (a hand-edited database) closes the loop A → B → A.
    engine.store.config.updateLoad(a.loads[0]!.uid, { settings: { formulas: { active_power: `s${bP}` } } });
    expectRejected(
      { label: 'C', signals: [{ key: 'active_power', formula: `s${aP} + ${s(pv, 'active_power')}` }] },
      'cycle',
      new RegExp(`s${aP} → s${bP} → s${aP}`),
    );
  });

  it('rejects units that do not add up, with the spot in the formula', () => {
    const e = rejected({
      label: 'x',
      signals: [{ key: 'voltage', formula: `${s(main, 'voltage_l1')} + ${s(main, 'current_l1')}` }],
    });
    expect(e.code).toBe('unit');
    expect(e.message).toMatch(/voltage: cannot add V and A at column/);
    expect(e.pos).toBe(s(main, 'voltage_l1').length + 1);
    expectRejected(
      {
        label: 'x',
        signals: [
          { key: 'active_power', formula: `sum(${s(main, 'active_power')}, ${s(main, 'energy_import')})` },
        ],
      },
      'unit',
      /cannot take sum\(\) of W and kWh/,
    );
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: s(main, 'energy_import') }] },
      'unit',
      /active_power: is in W but the formula gives kWh/,
    );
    expectRejected(
      {
        label: 'x',
        signals: [{ key: 'active_power', formula: `${s(main, 'voltage_l1')} * ${s(main, 'current_l1')}` }],
      },
      'unit',
      /is in W but the formula gives "V·A"/,
    );
    expectRejected(
      { label: 'x', signals: [{ key: 'energy_import', formula: `${s(main, 'active_power')} / 1000` }] },
      'unit',
      /is in kWh but the formula gives W/,
    );
  });

  it('rejects bad keys, repeated keys, syntax, division by the constant 0 and non-numeric signals', () => {
    const p = s(main, 'active_power');
    expectRejected(
      { label: 'x', signals: [{ key: 'watts', formula: p }] },
      'unknown-key',
      /"watts" is not in/,
    );
    expectRejected(
      {
        label: 'x',
        signals: [
          { key: 'active_power', formula: p },
          { key: 'active_power', formula: p },
        ],
      },
      'duplicate-key',
      /given twice/,
    );
    const syntax = rejected({ label: 'x', signals: [{ key: 'active_power', formula: `${p} +* 2` }] });
    expect([syntax.code, syntax.pos]).toEqual(['syntax', p.length + 2]);
    expect(syntax.message).toMatch(/^active_power: expected a number/);
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: `${p} / 0` }] },
      'division-by-zero',
      /division by 0/,
    );
    expectRejected(
      { label: 'x', signals: [{ key: 'text_message', formula: p }] },
      'not-numeric',
      /string signal/,
    );
    expectRejected({ label: ' ', signals: [{ key: 'active_power', formula: p }] }, 'label', /label/);
    expectRejected({ label: 'x', signals: [] }, 'empty', /at least one signal/);
    expectRejected(
      { label: 'x', pollMs: 5, signals: [{ key: 'active_power', formula: p }] },
      'poll',
      /100\.\.3600000/,
    );

    const p1 = engine.store.config.addDevice({
      label: 'p1',
      protocol: 'P1',
      model: null,
      partNumber: 'p1',
      system: '3P.N',
      connection: { port: '/dev/null', baud: 115200, parity: 'none', dataBits: 8 },
      loads: [
        {
          label: 'p1',
          index: 1,
          signals: [{ key: 'text_message', si: 76, kind: 'gauge', type: 'string', unit: '' }],
        },
      ],
    });
    expectRejected(
      { label: 'x', signals: [{ key: 'active_power', formula: `${s(p1, 'text_message')} + 1` }] },
      'not-numeric',
      /\(text_message\) at column 1 is a string signal, not a number/,
    );
  });
});
