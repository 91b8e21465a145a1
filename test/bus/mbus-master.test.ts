import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MbusBusError, MbusMaster } from '../../src-main/bus/mbus-master.js';
import type { MbusScanProgress } from '../../src-main/bus/mbus-scan.js';
import { mapRecordsToSignals } from '../../src-main/protocol/mbus/signal-map.js';
import type { MbusDataRecord } from '../../src-main/protocol/mbus/records.js';
import { parseSecondaryAddress } from '../../src-main/protocol/mbus/secondary-address.js';
import { startMbusSlave, type MbusSlaveHandle, type SimMbusMeter } from '../../src-main/sim/mbus-slave.js';
import { SerialTransport } from '../../src-main/transport/serial.js';

const SOCAT = '/usr/bin/socat';
// ptys ignore the speed; 38400 keeps the EN 13757-2 response window (and the test) short.
const LINE = { baudRate: 38400, parity: 'even', dataBits: 8, stopBits: 1 } as const;

interface PtyPair {
  a: string;
  b: string;
  proc: ChildProcess;
}

async function openPtyPair(): Promise<PtyPair> {
  if (!existsSync(SOCAT))
    throw new Error(`${SOCAT} is missing: install socat (apt-get install socat) to run the M-Bus pty tests`);
  const base = path.join(os.tmpdir(), `mbus-${process.pid}-${randomBytes(4).toString('hex')}`);
  const pair = { a: `${base}-a`, b: `${base}-b` };
  const proc = spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${pair.a}`, `pty,raw,echo=0,link=${pair.b}`], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100 && !(existsSync(pair.a) && existsSync(pair.b)); i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(pair.a) || !existsSync(pair.b)) {
    proc.kill();
    throw new Error('socat did not create the pty links within 5 s');
  }
  return { ...pair, proc };
}

const ELECTRICITY: SimMbusMeter = {
  primaryAddress: 1,
  id: '12345678',
  manufacturer: 'EMS',
  kind: 'electricity',
};
const ELECTRICITY_TWIN: SimMbusMeter = {
  primaryAddress: 2,
  id: '12345679',
  manufacturer: 'EMS',
  kind: 'electricity',
};
const HEAT: SimMbusMeter = {
  primaryAddress: 5,
  id: '00471100',
  manufacturer: 'KAM',
  kind: 'heat',
  telegrams: 3,
};

let pty: PtyPair;
let masterSide: SerialTransport;
let slaveSide: SerialTransport;
let slave: MbusSlaveHandle | undefined;
let master: MbusMaster;

beforeAll(async () => {
  pty = await openPtyPair();
  masterSide = new SerialTransport({ path: pty.a, ...LINE });
  slaveSide = new SerialTransport({ path: pty.b, ...LINE });
  await masterSide.open();
  await slaveSide.open();
  // Extra latency keeps the test stable on a loaded CI machine.
  master = new MbusMaster(masterSide, { retries: 1, extraLatencyMs: 20 });
});

afterEach(() => {
  slave?.stop();
  slave = undefined;
});

afterAll(async () => {
  await masterSide?.close();
  await slaveSide?.close();
  pty?.proc.kill();
});

function data(records: readonly { type: string }[]): MbusDataRecord[] {
  return records.filter((r): r is MbusDataRecord => r.type === 'data');
}

describe('MbusMaster against the simulated slave over a pty pair', () => {
  it('reads an electricity meter with REQ_UD2 and maps its records to catalogue signals', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY]);
    const reading = await master.read(1);
    expect(reading.header).toMatchObject({ id: '12345678', manufacturer: 'EMS', medium: 0x02 });
    expect(reading.secondaryAddress).toBe('1234567815B30102');
    const signals = mapRecordsToSignals(data(reading.records), 0x02).filter((s) => s !== undefined);
    const keys = signals.map((s) => s.key);
    expect(keys).toEqual([
      'fabrication_number',
      'energy_import',
      'energy_export',
      'active_power',
      'voltage',
      'current',
    ]);
    expect(signals[0]?.value).toBe('12345678');
    const value = (k: string): number => (signals.find((s) => s.key === k)?.value as number) ?? Number.NaN;
    expect(value('energy_import')).toBeGreaterThan(1234);
    expect(value('voltage')).toBeGreaterThan(220);
    expect(value('current')).toBeCloseTo(value('active_power') / value('voltage'), 2);
  });

  it('sees the energy counter increase between readings', async () => {
    let clock = Date.now();
    slave = startMbusSlave(slaveSide, [ELECTRICITY], { now: () => clock });
    const energy = async (): Promise<number> => {
      const r = data((await master.read(1)).records).find((x) => x.quantity === 'energy' && !x.accumulation);
      return typeof r?.value === 'number' ? r.value : Number.NaN;
    };
    const first = await energy();
    clock += 3_600_000;
    const second = await energy();
    expect(second - first).toBeGreaterThan(1000);
  });

  it('reads a three-telegram answer, toggling FCB, and joins the records', async () => {
    slave = startMbusSlave(slaveSide, [HEAT]);
    const reading = await master.read(5);
    expect(reading.telegrams).toHaveLength(3);
    expect(data(reading.records).map((r) => r.quantity)).toEqual([
      'fabrication_number',
      'energy',
      'volume',
      'power',
      'volume_flow',
      'flow_temperature',
      'return_temperature',
      'temperature_difference',
      'date_time',
    ]);
    const requests = slave.received
      .filter((f) => f.type === 'short')
      .map((f) => (f.type === 'short' ? f.control : 0));
    expect(requests).toEqual([0x40, 0x7b, 0x5b, 0x7b]);
  });

  it('times out on an absent address', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY]);
    const started = Date.now();
    await expect(master.read(42)).rejects.toMatchObject({
      name: 'MbusBusError',
      code: 'timeout',
      context: { address: 42 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * master.link.responseTimeoutMs);
    expect(await master.ping(42)).toBe(false);
  });

  it('scans primary addresses and finds the meters with their records', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY, HEAT]);
    const progress: MbusScanProgress[] = [];
    const found = await master.scanPrimary({ from: 0, to: 6, onProgress: (p) => progress.push(p) });
    expect(found.map((m) => [m.primaryAddress, m.id, m.manufacturer, m.medium])).toEqual([
      [1, '12345678', 'EMS', 0x02],
      [5, '00471100', 'KAM', 0x04],
    ]);
    expect(found[1]?.records.length).toBe(9);
    expect(progress.at(-1)).toEqual({ done: 7, total: 7, current: '6' });
  });

  it('finds two meters whose ids differ in one digit with the wildcard secondary search', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY, ELECTRICITY_TWIN, HEAT]);
    const progress: MbusScanProgress[] = [];
    const found = await master.scanSecondary({ onProgress: (p) => progress.push(p) });
    expect(found.map((m) => m.secondaryAddress).sort()).toEqual([
      '004711002C2D0104',
      '1234567815B30102',
      '1234567915B30102',
    ]);
    expect(found.every((m) => m.records.length > 0 && m.problem === undefined)).toBe(true);
    expect(found.find((m) => m.id === '12345679')?.primaryAddress).toBe(2);
    // The garbled replies of the twins forced the search down to the last digit.
    expect(progress.some((p) => p.current.startsWith('1234567F'))).toBe(true);
    expect(progress.at(-1)?.done).toBe(progress.at(-1)?.total);
  }, 60_000);

  it('reads one meter by its full secondary address', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY, ELECTRICITY_TWIN]);
    const address = parseSecondaryAddress('1234567915B30102');
    if (!address.ok) throw new Error(address.error.message);
    const reading = await master.readSecondary(address.value);
    expect(reading.address).toBe(253);
    expect(reading.header?.id).toBe('12345679');
    const wildcard = parseSecondaryAddress('1234567FFFFFFFFF');
    if (!wildcard.ok) throw new Error(wildcard.error.message);
    await expect(master.readSecondary(wildcard.value)).rejects.toMatchObject({ code: 'garbled' });
  });

  it('keeps working with garbage bytes on the line', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY], { replyDelayMs: 15 });
    const noise = (): void => void slaveSide.write(Buffer.from([0x00, 0xff, 0x68, 0x10, 0x33, 0x16]));
    slaveSide.on('data', noise);
    try {
      const reading = await master.read(1);
      expect(reading.header?.id).toBe('12345678');
      expect(data(reading.records).length).toBe(7);
    } finally {
      slaveSide.off('data', noise);
    }
  });

  it('stops a scan when its AbortSignal fires', async () => {
    slave = startMbusSlave(slaveSide, [ELECTRICITY]);
    const abort = new AbortController();
    const scan = master.scanPrimary({
      from: 0,
      to: 250,
      signal: abort.signal,
      onProgress: (p) => p.done === 2 && abort.abort(),
    });
    await expect(scan).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports bus errors with their context', () => {
    const err = new MbusBusError('timeout', 'no answer', { endpoint: 'x', address: 3 });
    expect(err.message).toBe('x address 3: no answer');
  });
});
