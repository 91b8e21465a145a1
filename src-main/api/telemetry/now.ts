import type { Signal } from '../../../src-preload/contract/domain.js';
import type { Store } from '../../store/store.js';
import type { LatestValue } from '../../store/telemetry-queries.js';
import { ApiError } from '../errors.js';
import { MAX_NOW_ATTRIBUTES } from '../schemas/telemetry.js';
import { attributesOf, findLoad } from './resolve.js';

const DEVICE_KEY = /^devices\[([^[\]]{1,64})\]$/;
const ATTRIBUTE = /^[A-Za-z0-9_.:-]{1,64}$/;

const bad = (message: string): ApiError => new ApiError(400, 'bad_request', message);

/** `devices[<ID>]=a,b` (repeatable, also for the same ID) → ID → attributes, in request order. */
export function parseNowQuery(query: Record<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let total = 0;
  for (const [key, raw] of Object.entries(query)) {
    if (!key.startsWith('devices')) continue;
    const m = DEVICE_KEY.exec(key);
    if (!m) throw bad(`query parameter "${key.slice(0, 80)}": expected devices[<ID>]=attr1,attr2`);
    const id = m[1]!;
    const list = out.get(id) ?? [];
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v !== 'string') throw bad(`query parameter ${key}: expected a comma-separated list`);
      for (const a of v.split(',').map((x) => x.trim())) {
        if (!ATTRIBUTE.test(a))
          throw bad(`query parameter ${key}: "${a.slice(0, 64)}" is not an attribute name`);
        if (!list.includes(a)) list.push(a);
        if (++total > MAX_NOW_ATTRIBUTES) throw bad(`at most ${MAX_NOW_ATTRIBUTES} attributes per request`);
      }
    }
    out.set(id, list);
  }
  if (!out.size) throw bad('at least one devices[<ID>]=attr1,attr2 query parameter is required');
  return out;
}

export interface Snapshot {
  value: number | string | boolean | null;
  timestamp: number | null;
}

export function snapshot(s: Signal, latest: LatestValue | undefined): Snapshot {
  if (!latest) return { value: null, timestamp: null };
  const num = latest.v !== null && Number.isFinite(latest.v) ? latest.v : null;
  const value =
    s.type === 'string' ? latest.sv : s.type === 'boolean' ? (num === null ? null : num !== 0) : num;
  return { value, timestamp: Math.floor(latest.t / 1000) };
}

export interface NowAnswer {
  devices: Record<string, Record<string, Snapshot>>;
  errors: { code: string; message: string; details: Record<string, unknown> }[];
}

/**
 * Latest values. Unknown devices and attributes, and attributes that have no value yet, are left
 * out and described in `errors` (the seed's object holds only attributes that were read).
 */
export function answerNow(store: Store, wanted: Map<string, string[]>): NowAnswer {
  const answer: NowAnswer = { devices: {}, errors: [] };
  const picked: { id: string; attr: string; signal: Signal }[] = [];
  for (const [id, attrs] of wanted) {
    const load = findLoad(store.config, id);
    if (!load) {
      answer.errors.push({
        code: 'device_not_found',
        message: `unknown device ${id}`,
        details: { device: id },
      });
      continue;
    }
    const known = attributesOf(store.config, load);
    answer.devices[id] = {};
    for (const attr of attrs) {
      const signal = known.get(attr);
      if (signal) picked.push({ id, attr, signal });
      else
        answer.errors.push({
          code: 'attribute_not_found',
          message: `device ${id} has no attribute "${attr}"`,
          details: { device: id, attribute: attr },
        });
    }
  }
  const latest = store.telemetry.latest(picked.map((p) => p.signal.uid));
  for (const p of picked) {
    const snap = snapshot(p.signal, latest.get(p.signal.uid));
    if (snap.value === null)
      answer.errors.push({
        code: 'no_value',
        message: `device ${p.id} attribute "${p.attr}" has no value yet`,
        details: { device: p.id, attribute: p.attr },
      });
    else (answer.devices[p.id] ??= {})[p.attr] = snap;
  }
  return answer;
}
