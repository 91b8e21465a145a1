import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { ModbusError } from '../../src-main/bus/errors.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { imageFor } from '../helpers/model-image.js';
import { ptyPair, startPymodbus, type PtyPair, type PymodbusSlave } from '../helpers/peers.js';

const library = loadLibrary();
const em24 = library.require('cg-em24-rs485');
const sdm = library.require('eastron-sdm630');

// Known values in catalogue units, chosen to be exact in each register type after scaling.
const EM24_VALUES = {
  voltage_l1: 230.1,
  voltage_l2: 229.8,
  current_l1: 5.125,
  active_power: 3456.7,
  energy_import: 12345.6,
  frequency: 50,
};
const SDM_VALUES = {
  voltage_l1: 231.5,
  current_l2: 2.25,
  active_power: -1500,
  energy_import: 9876.5,
  frequency: 49.75,
};

function byKey(r: Awaited<ReturnType<ModbusDriver['read']>>): Record<string, number | string | null> {
  return Object.fromEntries(r.readings.filter((x) => x.status === 1).map((x) => [x.key, x.value]));
}

describe('Modbus RTU over a socat pty against pymodbus', () => {
  let pty: PtyPair;
  let slave: PymodbusSlave;
  let bus: ModbusBus;

  beforeAll(async () => {
    pty = await ptyPair();
    slave = await startPymodbus(
      { serial: pty.b },
      { 1: imageFor(em24, EM24_VALUES), 2: imageFor(sdm, SDM_VALUES) },
    );
    bus = new ModbusBus(
      new SerialTransport({ path: pty.a, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }),
      {
        framing: 'rtu',
        timeoutMs: 500,
      },
    );
    await bus.open();
  });
  afterAll(async () => {
    await bus?.close();
    slave?.stop();
    pty?.close();
  });

  it('reads an EM24 (int32, low word first, scaled) through the model', async () => {
    const r = await new ModbusDriver(bus, em24, 1, Object.keys(EM24_VALUES)).read();
    expect(r.errors).toEqual([]);
    expect(byKey(r)).toEqual(EM24_VALUES);
  });

  it('reads an SDM630 (float32, high word first) on the same bus', async () => {
    const r = await new ModbusDriver(bus, sdm, 2, Object.keys(SDM_VALUES)).read();
    expect(byKey(r)).toEqual(SDM_VALUES);
  });

  it('reports an exception with its code and context', async () => {
    const e = await bus.readRegisters(1, 3, 0x7000, 2).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModbusError);
    expect((e as ModbusError).kind).toBe('exception');
    expect((e as ModbusError).exceptionCode).toBe(2);
    expect((e as ModbusError).message).toMatch(/unit 1 fc 3 @28672.*illegal data address/);
  });

  it('times out on an absent unit id quickly and counts it', async () => {
    const started = Date.now();
    const e = await bus.readRegisters(9, 3, 0, 1, { timeoutMs: 150, retries: 0 }).catch((x: unknown) => x);
    expect((e as ModbusError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bus.monitor.stats.get(9)?.timeouts).toBe(1);
    expect(bus.monitor.frames().some((f) => f.unit === 9 && f.outcome === 'timeout')).toBe(true);
  });
});

describe('Modbus TCP against pymodbus', () => {
  let slave: PymodbusSlave;
  let bus: ModbusBus;

  beforeAll(async () => {
    const port = await freePort();
    slave = await startPymodbus(
      { tcp: port },
      { 1: imageFor(sdm, SDM_VALUES), 3: imageFor(em24, EM24_VALUES) },
    );
    bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), { framing: 'tcp', timeoutMs: 1000 });
    await bus.open();
  });
  afterAll(async () => {
    await bus?.close();
    slave?.stop();
  });

  it('reads two units behind one host:port in the fewest requests', async () => {
    const d1 = new ModbusDriver(bus, sdm, 1, Object.keys(SDM_VALUES));
    const r1 = await d1.read();
    expect(byKey(r1)).toEqual(SDM_VALUES);
    // pymodbus refuses reads across unmapped gaps: the driver learns that once, then reads contiguous blocks.
    const again = await d1.read();
    expect(byKey(again)).toEqual(SDM_VALUES);
    expect(again.requests).toBe(d1.requestsPerCycle);
    expect(again.requests).toBeLessThanOrEqual(Object.keys(SDM_VALUES).length);
    const r3 = await new ModbusDriver(bus, em24, 3, Object.keys(EM24_VALUES)).read();
    expect(byKey(r3)).toEqual(EM24_VALUES);
  });

  it('writes a holding register and reads it back', async () => {
    const reg = em24.identification!.register;
    await bus.writeRegister(3, reg, 1234);
    expect(await bus.readRegisters(3, 3, reg, 1)).toEqual([1234]);
    await bus.writeRegisters(3, reg, [77]);
    expect(await bus.readRegisters(3, 3, reg, 1)).toEqual([77]);
  });
});
