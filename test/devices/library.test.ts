import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src-main/devices/catalogue.js';
import { loadLibrary, parseModel, sourceKeys } from '../../src-main/devices/library.js';
import { deviceModelJsonSchema, type DeviceModel } from '../../src-main/devices/model-schema.js';
import { decodeRegisters, registerCount } from '../../src-main/protocol/modbus/codec.js';
import { resourcesDir } from '../../src-main/util/paths.js';

const dir = join(resourcesDir(), 'devices');
const SCHEMA_FILE = 'device-model.schema.json';
const modelFiles = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE);
const readModelFile = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const library = loadLibrary();
const catalogue = loadCatalogue();

/**
 * The models whose identification register holds `value` (a number, or the text of an ascii id). Text
 * ids match by prefix and, as in a scan, only the longest matching prefix names a model.
 */
function identify(register: number, value: number | string): string[] {
  const hits = library.all
    .filter((m) => m.identification?.register === register)
    .map((m) => ({
      id: m.id,
      lengths: (m.identification?.match ?? [])
        .filter((x) =>
          typeof value === 'string'
            ? x.text !== undefined && value.startsWith(x.text)
            : (x.values ?? []).includes(value) ||
              (x.range !== undefined && x.range[0] <= value && value <= x.range[1]),
        )
        .map((x) => x.text?.length ?? 0),
    }))
    .filter((h) => h.lengths.length > 0);
  const longest = Math.max(...hits.flatMap((h) => h.lengths));
  return hits.filter((h) => h.lengths.includes(longest)).map((h) => h.id);
}

/** A model file's JSON, loosely typed so the rejection tests can break it. */
interface RawModel {
  [field: string]: unknown;
  signals: Record<string, unknown>[];
  identification: { match: Record<string, unknown>[] };
}

/** A fresh, valid model to break in the rejection tests. */
function validModel(): RawModel {
  return structuredClone(readModelFile('cg-em24-rs485.json')) as RawModel;
}

const scaled = (m: DeviceModel, key: string, words: number[]): number | string => {
  const s = m.signals.find((x) => x.key === key);
  if (!s) throw new Error(`${m.id} has no signal ${key}`);
  const raw = decodeRegisters(words, s.type, s.wordOrder ?? m.wordOrder);
  return typeof raw === 'number' ? raw * (s.scale ?? 1) : raw;
};

describe('device library files', () => {
  it('has model files', () => {
    expect(modelFiles.length).toBeGreaterThanOrEqual(8);
  });

  it.each(modelFiles)('%s is a valid model, loaded under its file name', (file) => {
    const model = parseModel(readModelFile(file), file, catalogue);
    expect(model.id).toBe(file.replace(/\.json$/, ''));
    expect(model.$schema).toBe(`./${SCHEMA_FILE}`);
    expect(library.get(model.id)).toEqual(model);
  });

  it('loads every file and nothing else', () => {
    expect(library.all.map((m) => `${m.id}.json`).sort()).toEqual([...modelFiles].sort());
  });

  it('ships a JSON Schema that matches the TypeBox schema (run scripts/export-model-schema.ts)', () => {
    const onDisk = JSON.parse(readFileSync(join(dir, SCHEMA_FILE), 'utf8')) as unknown;
    expect(onDisk).toEqual(deviceModelJsonSchema());
  });
});

describe.each(library.all.map((m) => [m.id, m] as const))('model %s', (_id, model) => {
  it('has at least one identification match, or says why it has no id register', () => {
    if (model.identification) expect(model.identification.match.length).toBeGreaterThanOrEqual(1);
    else expect(model.notes?.some((n) => n.startsWith('No identification: the maker'))).toBe(true);
  });

  it('uses catalogue keys with the catalogue units', () => {
    for (const s of model.signals) {
      const entry = catalogue.byKey.get(s.key);
      expect(entry, s.key).toBeDefined();
      expect(s.unit, s.key).toBe(entry?.unit);
    }
  });

  it('has no two signals sharing a register within one function code', () => {
    const owner = new Map<string, string>();
    for (const s of model.signals) {
      for (let r = s.register; r < s.register + registerCount(s.type); r++) {
        const at = `${s.fc}:${r}`;
        expect(owner.get(at), `${s.key} at fc ${s.fc} register ${r}`).toBeUndefined();
        owner.set(at, s.key);
      }
    }
  });

  it('has no two settings sharing a register', () => {
    const owner = new Map<number, string>();
    for (const c of model.config ?? []) {
      for (let r = c.register; r < c.register + registerCount(c.type); r++) {
        expect(owner.get(r), `${c.key} at register ${r}`).toBeUndefined();
        owner.set(r, c.key);
      }
    }
  });

  it('keeps measurements and settings on separate registers', () => {
    const settings = new Set(
      (model.config ?? []).flatMap((c) =>
        Array.from({ length: registerCount(c.type) }, (_, i) => `${c.fc}:${c.register + i}`),
      ),
    );
    for (const s of model.signals)
      for (let r = s.register; r < s.register + registerCount(s.type); r++)
        expect(settings.has(`${s.fc}:${r}`), `${s.key} at register ${r}`).toBe(false);
  });

  it('lists a production variant first (the default part number)', () => {
    expect(model.identification?.match[0]?.wordOrder).toBeUndefined();
  });

  it('cites only listed sources', () => {
    const cited = [
      ...(model.identification ? [model.identification.source] : []),
      ...model.signals.map((s) => s.source),
      ...(model.info ?? []).map((i) => i.source),
      ...(model.config ?? []).map((c) => c.source),
    ].flatMap(sourceKeys);
    for (const k of cited) expect(Object.keys(model.sources), k).toContain(k);
  });

  it('flags 32-bit settings written with single-register writes as uncertain', () => {
    for (const c of model.config ?? [])
      if (c.writeFc === 6 && registerCount(c.type) > 1) expect(c.uncertain, c.key).toBeTruthy();
  });

  it('keeps choice values inside min/max', () => {
    for (const c of model.config ?? [])
      for (const ch of c.choices ?? []) {
        if (c.min !== undefined) expect(ch.value, c.key).toBeGreaterThanOrEqual(c.min);
        if (c.max !== undefined) expect(ch.value, c.key).toBeLessThanOrEqual(c.max);
      }
  });
});

describe('identification', () => {
  const CG_ID = 0x000b;
  const EASTRON_ID = 0xfc02;

  it.each([
    [CG_ID, [71, 72, 73], 'cg-em24-rs485'],
    [CG_ID, [1648, 1649, 1650, 1651, 1652, 1653], 'cg-em24-e1'],
    [CG_ID, [1744, 1750, 1763], 'cg-em540'],
    [CG_ID, [100, 102, 104, 111, 112, 120, 121], 'cg-em111-em112-et112'],
    [CG_ID, [330, 331, 332, 335, 336, 340, 341, 345, 346], 'cg-em340-et340'],
    [EASTRON_ID, [0x70, 0x79], 'eastron-sdm630'],
    [EASTRON_ID, [32], 'eastron-sdm120'],
  ] as const)('register %i: %j identify %s', (register, values, id) => {
    for (const v of values) expect(identify(register, v), String(v)).toEqual([id]);
  });

  it('reads the same number at another register as another meter', () => {
    expect(identify(CG_ID, 112)).toEqual(['cg-em111-em112-et112']);
    expect(identify(EASTRON_ID, 112)).toEqual(['eastron-sdm630']);
  });

  it('matches no model for zeros, gaps and neighbours of the documented codes', () => {
    for (const v of [0, 45, 70, 74, 99, 105, 122, 329, 338, 347, 348, 1647, 1654, 1743, 1764])
      expect(identify(CG_ID, v), String(v)).toEqual([]);
    expect(identify(EASTRON_ID, 0)).toEqual([]);
  });

  it('identifies ABB meters by their ASCII type (trailing blank trimmed by the codec)', () => {
    const text = decodeRegisters([0x4232, 0x3320], 'ascii', 'msw');
    expect(text).toBe('B23');
    expect(identify(0x8960, text)).toEqual(['abb-b2x']);
    expect(identify(0x8960, 'B99')).toEqual([]);
  });

  it('names a PAC3200 by the order number in its I&M 0 block, any other Siemens I&M block a PAC4200', () => {
    const im0 = (order: string): string =>
      decodeRegisters(
        [
          0x002a,
          ...[...order.padEnd(20)].flatMap((c, i, a) =>
            i % 2 ? [] : [(c.charCodeAt(0) << 8) | a[i + 1]!.charCodeAt(0)],
          ),
        ],
        'ascii',
        'msw',
      ) as string;
    expect(identify(64001, im0('7KM2112-0BA00-3AA0'))).toEqual(['siemens-pac3200']);
    expect(identify(64001, im0('SOME OTHER ORDER NO'))).toEqual(['siemens-pac4200']);
    expect(identify(64001, im0(''))).toEqual(['siemens-pac4200']);
  });

  it('gives every documented id value to exactly one model', () => {
    for (const m of library.all)
      for (const x of m.identification?.match ?? []) {
        const probes: (number | string)[] = [...(x.values ?? []), ...(x.range ?? [])];
        if (x.text !== undefined) probes.push(x.text);
        for (const p of probes)
          expect(identify(m.identification!.register, p), `${m.id} ${p}`).toEqual([m.id]);
      }
  });

  it('leaves out of identification only the models whose maker documents no id register', () => {
    expect(library.all.filter((m) => !m.identification).map((m) => m.id)).toEqual(['janitza-umg96rm']);
  });

  it('marks the engineering samples that send the high word first', () => {
    const em3xx = library.require('cg-em340-et340').identification!.match;
    expect(em3xx.filter((x) => x.wordOrder === 'msw').flatMap((x) => x.values)).toEqual([330, 340]);
  });
});

describe('decoding with the library data', () => {
  it('reads Carlo Gavazzi 32-bit values low word first, scaled to catalogue units', () => {
    const em24 = library.require('cg-em24-rs485');
    expect(scaled(em24, 'voltage_l1', [2301, 0])).toBeCloseTo(230.1, 6);
    // 123456 = 0x0001E240 → words [0xE240, 0x0001]; raw unit 0.1 kWh
    expect(scaled(em24, 'energy_import', [0xe240, 0x0001])).toBeCloseTo(12345.6, 6);
    expect(scaled(em24, 'active_power', [0xfc18, 0xffff])).toBeCloseTo(-100, 6);
    expect(scaled(em24, 'phase_sequence', [0xffff])).toBe(1);
    expect(em24.signals.find((s) => s.key === 'energy_import')?.register).toBe(0x3e);
  });

  it('reads Eastron floats high word first in catalogue units', () => {
    const sdm = library.require('eastron-sdm630');
    // 230.5 as float32 = 0x43668000
    expect(scaled(sdm, 'voltage_l1', [0x4366, 0x8000])).toBeCloseTo(230.5, 4);
    expect(sdm.signals.every((s) => s.fc === 4)).toBe(true);
  });

  it('reads ABB 64-bit energy in 0.01 kWh and knows its "not available" pattern', () => {
    const abb = library.require('abb-b2x');
    expect(scaled(abb, 'energy_import', [0, 0, 0x0001, 0x86a0])).toBeCloseTo(1000, 6);
    const exp = abb.signals.find((s) => s.key === 'energy_export');
    const raw = decodeRegisters([0xffff, 0xffff, 0xffff, 0xffff], 'uint64', 'msw');
    expect(exp?.invalidRaw).toContain(raw);
  });
});

describe('rejecting invalid models', () => {
  const reject = (data: unknown): string => {
    try {
      parseModel(data, 'broken.json', catalogue);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the model was accepted');
  };

  it('accepts the unbroken model', () => {
    expect(() => parseModel(validModel(), 'ok.json', catalogue)).not.toThrow();
  });

  it('names a missing field', () => {
    const m = validModel();
    delete m.vendor;
    const msg = reject(m);
    expect(msg).toContain('broken.json is not valid');
    expect(msg).toMatch(/\/vendor: .*required/i);
  });

  it('names a register type outside the closed set', () => {
    const m = validModel();
    m.signals[3] = { ...m.signals[3], type: 'INT32' };
    expect(reject(m)).toMatch(/\/signals\/3\/type/);
  });

  it('names an unknown catalogue key', () => {
    const m = validModel();
    m.signals[0] = { ...m.signals[0], key: 'voltage_l9' };
    expect(reject(m)).toContain('/signals/0 (voltage_l9): not in the signal catalogue');
  });

  it('names a unit that differs from the catalogue', () => {
    const m = validModel();
    m.signals[1] = { ...m.signals[1], unit: 'kV' };
    expect(reject(m)).toContain('/signals/1 (voltage_l2): unit "kV" but the catalogue says "V"');
  });

  it('names overlapping registers', () => {
    const m = validModel();
    m.signals[1] = { ...m.signals[1], register: 1 };
    expect(reject(m)).toMatch(/\/signals\/1 \(voltage_l2\): registers overlap \/signals\/0 \(voltage_l1\)/);
  });

  it('names a source that is not listed', () => {
    const m = validModel();
    m.signals[2] = { ...m.signals[2], source: 'CG_DOC_EM24 / NOWHERE' };
    expect(reject(m)).toContain('/signals/2 (voltage_l3): source "NOWHERE" is not listed in /sources');
  });

  it('names an id value claimed by two variants', () => {
    const m = validModel();
    m.identification.match.push({ values: [71], variant: 'copy', partNumber: 'X' });
    expect(reject(m)).toMatch(/\/identification\/match\/3 \(copy\): id value 71 also matches/);
  });
});

describe('loadLibrary on a folder of its own', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ems-devices-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('names the file that is broken and ignores the schema file', () => {
    writeFileSync(join(tmp, SCHEMA_FILE), '{"not": "a model"}');
    writeFileSync(join(tmp, 'good.json'), JSON.stringify({ ...validModel(), id: 'good' }));
    expect(loadLibrary(tmp).all.map((m) => m.id)).toEqual(['good']);
    const bad: Record<string, unknown> = validModel();
    delete bad.signals;
    writeFileSync(join(tmp, 'bad.json'), JSON.stringify({ ...bad, id: 'bad' }));
    expect(() => loadLibrary(tmp)).toThrow(/bad\.json is not valid:\n\s+\/signals/);
  });

  it('refuses two files with the same model id', () => {
    rmSync(join(tmp, 'bad.json'), { force: true });
    writeFileSync(join(tmp, 'twin.json'), JSON.stringify({ ...validModel(), id: 'good' }));
    expect(() => loadLibrary(tmp)).toThrow(/model id good defined twice/);
  });
});
