import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';
import { scanRtu } from '../../src-main/discovery/rtu-scan.js';
import { startRs485Line, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { imageFor } from '../helpers/model-image.js';
import { startPymodbus, type PymodbusSlave } from '../helpers/peers.js';

/**
 * The baud-rate sweep against slaves that answer only at their own rate: pymodbus slaves on one
 * emulated RS485 line (scripts/rs485-line.py), each on its own end at its own speed. On a socat pty
 * every rate "works"; here a probe at the wrong rate reaches a slave as garbage.
 */
const library = loadLibrary();
const em24 = library.require('cg-em24-rs485');
const sdm = library.require('eastron-sdm630');
const em340 = library.require('cg-em340-et340');

const SLAVES = [
  { unit: 3, baud: 9600, model: em24 },
  { unit: 5, baud: 19200, model: sdm },
  { unit: 7, baud: 38400, model: em340 },
] as const;
const UNITS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('RTU scan on an emulated line with slaves at 9600, 19200 and 38400', () => {
  let line: Rs485Line;
  const slaves: PymodbusSlave[] = [];

  beforeAll(async () => {
    line = await startRs485Line({ ends: [{}, ...SLAVES.map(() => ({}))] });
    for (const [i, s] of SLAVES.entries())
      slaves.push(
        await startPymodbus(
          { serial: line.paths[i + 1]!, baud: s.baud },
          { [s.unit]: imageFor(s.model, {}) },
        ),
      );
  });
  afterAll(async () => {
    for (const s of slaves) s.stop();
    await line?.stop();
  });

  it('finds each slave at its own speed only', async () => {
    const report = await scanRtu(library, {
      port: line.paths[0]!,
      bauds: [9600, 19200, 38400],
      parities: ['none'],
      units: UNITS,
    });
    expect(
      report.found.map((d) => [d.connection.unit, 'baud' in d.connection ? d.connection.baud : 0, d.model]),
    ).toEqual(SLAVES.map((s) => [s.unit, s.baud, s.model.id]));
    // Units 5 and 7 were asked at 9600, unit 7 at 19200: all silent there (or garbage, never a frame).
    expect(report.probes).toBeGreaterThanOrEqual(UNITS.length * 3 - 3 - 2 - 1);
  });

  it('at rates no slave uses it finds nothing', async () => {
    const report = await scanRtu(library, {
      port: line.paths[0]!,
      bauds: [4800, 115200],
      parities: ['none'],
      units: [3, 5, 7],
    });
    expect(report.found).toEqual([]);
  });

  it('a scan at 19200 alone finds only the 19200 slave', async () => {
    const report = await scanRtu(library, {
      port: line.paths[0]!,
      bauds: [19200],
      parities: ['none'],
      units: [3, 5, 7],
    });
    expect(
      report.found.map((d) => [d.connection.unit, 'baud' in d.connection ? d.connection.baud : 0]),
    ).toEqual([[5, 19200]]);
  });
});
