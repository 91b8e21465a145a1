import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerCount } from '../protocol/modbus/codec.js';
import { checkSchema } from '../util/schema-check.js';
import { resourcesDir } from '../util/paths.js';
import type { SignalCatalogue } from './catalogue.js';
import { loadCatalogue } from './catalogue.js';
import { DeviceModel } from './model-schema.js';

/** The source keys an entry cites: "CG_DOC_EM24 / CGW_UPD (Em540Commands)" → ["CG_DOC_EM24", "CGW_UPD"]. */
export function sourceKeys(source: string): string[] {
  return source
    .split(' / ')
    .map((part) => part.trim().split(/\s+/)[0] ?? '')
    .filter((k) => k.length > 0);
}

/**
 * Checks what a schema cannot: catalogue keys and units, overlapping registers, id values, cited
 * sources. Every problem names its JSON path, e.g. `/signals/3 (voltage_l1): ...`.
 */
export function checkModelSemantics(model: DeviceModel, catalogue: SignalCatalogue): string[] {
  const problems: string[] = [];
  const cite = (path: string, source: string): void => {
    for (const k of sourceKeys(source))
      if (!(k in model.sources)) problems.push(`${path}: source "${k}" is not listed in /sources`);
  };

  const seen = new Set<string>();
  const used: { fc: number; from: number; to: number; path: string }[] = [];
  model.signals.forEach((s, i) => {
    const path = `/signals/${i} (${s.key})`;
    const entry = catalogue.byKey.get(s.key);
    if (!entry) problems.push(`${path}: not in the signal catalogue`);
    else if (entry.unit !== s.unit)
      problems.push(`${path}: unit "${s.unit}" but the catalogue says "${entry.unit}"`);
    if (seen.has(s.key)) problems.push(`${path}: listed twice`);
    seen.add(s.key);
    const to = s.register + registerCount(s.type) - 1;
    if (to > 0xffff) problems.push(`${path}: runs past register 0xFFFF`);
    const clash = used.find((u) => u.fc === s.fc && u.from <= to && s.register <= u.to);
    if (clash) problems.push(`${path}: registers overlap ${clash.path} (fc ${s.fc})`);
    used.push({ fc: s.fc, from: s.register, to, path });
    if (s.type === 'ascii') problems.push(`${path}: ascii has no numeric value; use an info register`);
    cite(path, s.source);
  });

  const id = model.identification;
  const ascii = id?.type === 'ascii';
  if (id && ascii !== (id.words !== undefined))
    problems.push('/identification: words is required with, and only with, type ascii');
  if (id) cite('/identification', id.source);
  const ids = new Map<number, string>();
  (id?.match ?? []).forEach((m, i) => {
    const path = `/identification/match/${i} (${m.variant})`;
    if (!m.values && !m.range && m.text === undefined) problems.push(`${path}: needs values, range or text`);
    if (ascii && (m.values || m.range)) problems.push(`${path}: an ascii id matches by text, not numbers`);
    if (!ascii && m.text !== undefined) problems.push(`${path}: text needs identification type ascii`);
    if (m.range && m.range[0] > m.range[1]) problems.push(`${path}: range runs backwards`);
    const numbers = [...(m.values ?? []), ...(m.range ? [m.range[0], m.range[1]] : [])];
    for (const v of numbers) {
      const other = ids.get(v);
      if (other !== undefined) problems.push(`${path}: id value ${v} also matches ${other}`);
      ids.set(v, path);
    }
  });

  (model.info ?? []).forEach((r, i) => {
    const path = `/info/${i} (${r.name})`;
    if ((r.type === 'ascii') !== (r.words !== undefined))
      problems.push(`${path}: words is required with, and only with, type ascii`);
    cite(path, r.source);
  });

  const cfgKeys = new Set<string>();
  (model.config ?? []).forEach((c, i) => {
    const path = `/config/${i} (${c.key})`;
    if (cfgKeys.has(c.key)) problems.push(`${path}: listed twice`);
    cfgKeys.add(c.key);
    if (c.type === 'ascii') problems.push(`${path}: ascii settings are not supported`);
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      problems.push(`${path}: min is above max`);
    const values = (c.choices ?? []).map((ch) => ch.value);
    if (new Set(values).size !== values.length) problems.push(`${path}: a choice value is listed twice`);
    cite(path, c.source);
  });
  return problems;
}

export function parseModel(data: unknown, what: string, catalogue = loadCatalogue()): DeviceModel {
  const model = checkSchema(DeviceModel, data, what);
  const problems = checkModelSemantics(model, catalogue);
  if (problems.length) throw new Error(`${what} is not valid:\n  ${problems.join('\n  ')}`);
  return model;
}

export class DeviceLibrary {
  private readonly models = new Map<string, DeviceModel>();
  /** The ids shipped in resources/devices: a map made on site may not replace one of them. */
  private readonly builtIn = new Set<string>();

  constructor(models: readonly DeviceModel[]) {
    for (const m of models) {
      if (this.models.has(m.id)) throw new Error(`device library: model id ${m.id} defined twice`);
      this.models.set(m.id, m);
      this.builtIn.add(m.id);
    }
  }

  /** A copy of this library that can take maps made on site without touching the shared one. */
  clone(): DeviceLibrary {
    return new DeviceLibrary(this.all);
  }

  isBuiltIn(id: string): boolean {
    return this.builtIn.has(id);
  }

  /** Adds (or replaces) a model checked by `parseModel`; built-in models stay as shipped. */
  put(model: DeviceModel): void {
    if (this.builtIn.has(model.id))
      throw new Error(`"${model.id}" is a built-in model and cannot be replaced`);
    this.models.set(model.id, model);
  }

  get all(): DeviceModel[] {
    return [...this.models.values()];
  }

  get(id: string): DeviceModel | undefined {
    return this.models.get(id);
  }

  require(id: string): DeviceModel {
    const m = this.models.get(id);
    if (!m) throw new Error(`unknown model "${id}" (known: ${[...this.models.keys()].join(', ')})`);
    return m;
  }
}

let cached: DeviceLibrary | undefined;

/** Loads and validates every `resources/devices/*.json`; adding a model is adding one file. */
export function loadLibrary(dir = join(resourcesDir(), 'devices')): DeviceLibrary {
  const isDefault = dir === join(resourcesDir(), 'devices');
  if (cached && isDefault) return cached;
  const catalogue = loadCatalogue();
  const models = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      return parseModel(JSON.parse(readFileSync(file, 'utf8')), file, catalogue);
    });
  const lib = new DeviceLibrary(models);
  if (isDefault) cached = lib;
  return lib;
}
