import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';
import { expandHosts } from '../../src-main/discovery/hosts.js';
import { scanTcp } from '../../src-main/discovery/tcp-scan.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { serveTcpBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { imageFor } from '../helpers/model-image.js';
import { startPymodbus, type PymodbusSlave } from '../helpers/peers.js';

const library = loadLibrary();
const e1 = library.require('cg-em24-e1');
const em24 = library.require('cg-em24-rs485');
const em340 = library.require('cg-em340-et340');
const sdm = library.require('eastron-sdm630');

// Loopback only: 127.0.0.0/8 is all this machine, so several "hosts" share one port number.
describe('TCP scan of a loopback range with a plain device, a gateway and a single-id device', () => {
  let port: number;
  const running: (RunningBus | RunningSim)[] = [];

  beforeAll(async () => {
    port = await freePort();
    running.push(
      await serveTcpBus(
        new SimulatedBus([new SimulatedMeter({ model: e1, unit: 1 })], { anyUnit: true }),
        port,
        {
          host: '127.0.0.2',
        },
      ),
      await serveTcpBus(
        new SimulatedBus(
          [new SimulatedMeter({ model: em24, unit: 2 }), new SimulatedMeter({ model: em340, unit: 7 })],
          {
            absent: 'gateway-exception',
          },
        ),
        port,
        { host: '127.0.0.3' },
      ),
      await serveTcp(new SimulatedMeter({ model: sdm, unit: 1 }), port, '127.0.0.4'),
    );
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
  });

  it('connects in parallel, then asks the unit ids each host calls for', async () => {
    const phases = new Set<string>();
    const report = await scanTcp(
      library,
      { hosts: expandHosts('127.0.0.0/29'), port, connectTimeoutMs: 500 },
      { onProgress: (p) => phases.add(p.phase) },
    );
    const seen = report.found.map((d) => [
      'host' in d.connection ? d.connection.host : '',
      d.connection.unit,
      d.model,
    ]);
    expect(seen.sort()).toEqual([
      ['127.0.0.2', 1, 'cg-em24-e1'],
      ['127.0.0.3', 2, 'cg-em24-rs485'],
      ['127.0.0.3', 7, 'cg-em340-et340'],
      ['127.0.0.4', 1, 'eastron-sdm630'],
    ]);
    const plain = report.found.find((d) => 'host' in d.connection && d.connection.host === '127.0.0.2');
    expect(plain?.note).toMatch(/every unit id/);
    expect(report.hints).toContain(`3 of 6 host(s) accept connections on port ${port}`);
    expect(report.hints.some((h) => /127\.0\.0\.3.*gateway/.test(h))).toBe(true);
    expect([...phases]).toEqual(expect.arrayContaining(['connect', 'units']));
  });

  it('asks exactly the given unit ids when told, and can be cancelled', async () => {
    const asked = new Set<number | undefined>();
    const report = await scanTcp(
      library,
      { hosts: ['127.0.0.3'], port, units: [1, 2, 3] },
      { onProgress: (p) => p.phase === 'units' && p.current.unit !== undefined && asked.add(p.current.unit) },
    );
    expect(report.found.map((d) => d.connection.unit)).toEqual([2]);
    expect([...asked].sort()).toEqual([1, 2, 3]);

    const ac = new AbortController();
    const cancelled = await scanTcp(
      library,
      { hosts: ['127.0.0.3'], port, units: Array.from({ length: 247 }, (_, i) => i + 1) },
      { signal: ac.signal, onProgress: (p) => p.current.unit === 10 && ac.abort() },
    );
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.probes).toBeLessThan(20);
  });
});

describe('TCP scan against pymodbus', () => {
  let slave: PymodbusSlave;
  let zeros: PymodbusSlave;
  let port: number;
  let zerosPort: number;

  beforeAll(async () => {
    port = await freePort();
    zerosPort = await freePort();
    slave = await startPymodbus(
      { tcp: port },
      { 1: imageFor(em24, { voltage_l1: 230 }), 3: imageFor(sdm, { voltage_l1: 231 }) },
    );
    const zero = { hr: { 11: [0], 64514: [0], 35168: [0, 0] } };
    zeros = await startPymodbus({ tcp: zerosPort }, { 1: zero, 2: zero, 3: zero });
  });
  afterAll(() => {
    slave?.stop();
    zeros?.stop();
  });

  it('finds two meters behind one host:port with --units', async () => {
    const report = await scanTcp(library, {
      hosts: ['127.0.0.1'],
      port,
      units: [1, 2, 3, 4],
      unitTimeoutMs: 300,
    });
    expect(report.found.map((d) => [d.connection.unit, d.model])).toEqual([
      [1, 'cg-em24-rs485'],
      [3, 'eastron-sdm630'],
    ]);
  });

  it('reports a gateway answering every unit id with zeros as not a meter', async () => {
    const report = await scanTcp(library, { hosts: ['127.0.0.1'], port: zerosPort, units: [1, 2, 3] });
    expect(report.found).toHaveLength(3);
    for (const d of report.found) expect(d.kind).toBe('not-a-meter');
    const plain = await scanTcp(library, { hosts: ['127.0.0.1'], port: zerosPort });
    expect(plain.found.every((d) => d.kind === 'not-a-meter')).toBe(true);
  });
});

describe('host lists', () => {
  it('expands CIDR ranges without network and broadcast, and refuses nonsense', () => {
    expect(expandHosts('10.0.0.0/30')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(expandHosts('10.0.0.7/32,10.0.0.7, gw.local')).toEqual(['10.0.0.7', 'gw.local']);
    expect(expandHosts('192.168.1.77/29')).toHaveLength(6);
    expect(() => expandHosts('10.0.0.0/8')).toThrow(/limit is a \/16/);
    expect(() => expandHosts('10.0.0.300/24')).toThrow(/not an IPv4 CIDR/);
    expect(() => expandHosts('bad host!')).toThrow(/neither an address/);
    expect(() => expandHosts(' , ')).toThrow(/no hosts/);
  });
});
