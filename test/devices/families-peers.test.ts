import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { identify } from '../../src-main/discovery/identify.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { imageFor } from '../helpers/model-image.js';
import { startPymodbus, type PymodbusSlave } from '../helpers/peers.js';

/** The families added from makers' documents in issue 16; each is served by pymodbus as documented. */
const NEW_FAMILIES = ['eastron-sdm72', 'eastron-sdm230', 'siemens-pac4200'];

const library = loadLibrary();
const models = NEW_FAMILIES.map((id) => library.require(id));

/** A distinct value per signal, exact in the register type once scaled (quarters survive float32). */
function valuesOf(index: number): Record<string, number> {
  const m = models[index]!;
  return Object.fromEntries(
    m.signals.map((s, i) => [
      s.key,
      Math.round((100 + index * 1000 + i * 7.25) / (s.scale ?? 1)) * (s.scale ?? 1),
    ]),
  );
}

describe('new meter families against a pymodbus peer serving their documented registers', () => {
  let slave: PymodbusSlave;
  let bus: ModbusBus;

  beforeAll(async () => {
    const port = await freePort();
    slave = await startPymodbus(
      { tcp: port },
      Object.fromEntries(models.map((m, i) => [i + 1, imageFor(m, valuesOf(i))])),
    );
    bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), { framing: 'tcp', timeoutMs: 1000 });
    await bus.open();
  }, 30_000);
  afterAll(async () => {
    await bus?.close();
    slave?.stop();
  });

  models.forEach((model, i) => {
    it(`${model.id}: identified by its id register and every signal read back as served`, async () => {
      const id = await identify(bus, i + 1, library);
      expect(id.kind).toBe('meter');
      expect(id.model?.id).toBe(model.id);
      const r = await new ModbusDriver(bus, model, i + 1).read();
      expect(r.errors).toEqual([]);
      expect(r.unsupported).toEqual([]);
      const got = Object.fromEntries(r.readings.map((x) => [x.key, x.value]));
      expect(got).toEqual(valuesOf(i));
    });
  });
});
