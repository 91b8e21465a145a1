import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { identify } from '../../src-main/discovery/identify.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { resourcesDir } from '../../src-main/util/paths.js';
import {
  PYTHON,
  requireTool,
  startPymodbus,
  type PymodbusSlave,
  type RegisterSpec,
} from '../helpers/peers.js';

const BUILDER = resolve(import.meta.dirname, '../peers/model_image.py');

interface Images {
  units: RegisterSpec;
  models: Record<
    string,
    { unit: number; identification: number | string | null; expected: Record<string, number> }
  >;
  skipped: Record<string, string[]>;
}

/**
 * Register images packed in Python (struct) from every model file's documented registers: the engine's
 * decoding is checked against an encoder it does not share (test/peers/model_image.py).
 */
function pythonImages(): Images {
  requireTool(PYTHON, 'python3');
  return JSON.parse(
    execFileSync(PYTHON, [BUILDER, resolve(resourcesDir(), 'devices')], { encoding: 'utf8' }),
  ) as Images;
}

const library = loadLibrary();
const images = pythonImages();
const modbusModels = library.all.filter((m) => m.protocols.some((p) => p === 'rtu' || p === 'tcp'));

describe('every Modbus model read from a pymodbus image packed in Python', () => {
  let slave: PymodbusSlave;
  let bus: ModbusBus;

  beforeAll(async () => {
    const port = await freePort();
    slave = await startPymodbus({ tcp: port }, images.units);
    bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), { framing: 'tcp', timeoutMs: 2000 });
    await bus.open();
  }, 30_000);
  afterAll(async () => {
    await bus?.close();
    slave?.stop();
  });

  it('the Python builder covers every model file and nearly every signal', () => {
    expect(Object.keys(images.models).sort()).toEqual(modbusModels.map((m) => m.id).sort());
    for (const m of modbusModels) {
      const checked = Object.keys(images.models[m.id]!.expected).length;
      // Only signals sharing registers with another one are left out, and the builder says which.
      expect(checked + (images.skipped[m.id]?.length ?? 0)).toBe(m.signals.length);
      expect(checked).toBeGreaterThanOrEqual(m.signals.length * 0.9);
    }
  });

  for (const model of modbusModels) {
    it(`${model.id}: identified from its documented id and every packed value read back`, async () => {
      const img = images.models[model.id]!;
      const id = await identify(bus, img.unit, library);
      if (!model.identification) {
        // No id register documented (Janitza UMG 96RM): a scan does not name it; the values still read.
        expect(img.identification).toBeNull();
        expect(id.model).toBeUndefined();
      } else {
        expect(id.kind).toBe('meter');
        // Models that share an id register and value (same family, other interface) identify as one of them.
        const same = library.all.filter(
          (m) =>
            m.identification?.register === model.identification?.register &&
            m.identification?.match.some(
              (x) =>
                x.values?.includes(img.identification as number) ||
                x.text === img.identification ||
                x.range?.[0] === img.identification,
            ),
        );
        expect(same.map((m) => m.id)).toContain(id.model?.id);
      }
      const r = await new ModbusDriver(bus, model, img.unit, Object.keys(img.expected)).read();
      expect(r.errors).toEqual([]);
      const got = Object.fromEntries(r.readings.map((x) => [x.key, x.value]));
      for (const [key, want] of Object.entries(img.expected)) {
        expect(typeof got[key], key).toBe('number');
        expect(got[key] as number, key).toBeCloseTo(want, 6);
      }
    });
  }
});
