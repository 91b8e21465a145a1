import type { Device, RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import { lineOf } from '../commissioning/service.js';
import { readConfig } from '../commissioning/config-read.js';
import type { DeviceModel } from '../devices/model-schema.js';
import { ModbusDriver } from '../drivers/modbus-driver.js';
import type { DeviceReading } from '../poller/device-reader.js';
import { analyseCrossCheck, type CrossCheckResult, type CrossSample } from './cross-check.js';
import { busKey } from './site-file.js';
import { SiteError } from './site-service.js';
import type { SiteWork } from './site-work.js';

/** A P1 meter's latest telegram: the poller's reader while it polls the port, one of its own otherwise. */
export interface P1Source {
  /** The latest telegram's values, and when it arrived (what it measured is of that moment). */
  read(): Promise<{ reading: DeviceReading; receivedAt: number | null }>;
  close(): Promise<void>;
}

export interface CrossCheckOptions {
  /** Window, s (60 by default: the same minute on both meters). */
  seconds?: number;
  /** The main (grid) meter; found from the plan's grid role or a configured grid load when left out. */
  mainUid?: number;
  /** The P1 meter; the first configured one when left out. */
  p1Uid?: number;
  /** How long to wait for the P1's first telegram (DSMR 4 sends every 10 s). */
  firstTelegramMs?: number;
}

export const DEFAULT_CROSS_SECONDS = 60;
const MAIN_KEYS = [
  'active_power',
  'active_power_l1',
  'active_power_l2',
  'active_power_l3',
  'energy_import',
  'energy_export',
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function isModbus(d: Device): boolean {
  return d.protocol === 'rtu' || d.protocol === 'tcp';
}

/**
 * The main meter: asked for; or the configured meter marked main (`configure --main`, the web API's
 * main); or the plan's grid/main device as configured; or the one configured Modbus meter with a grid load.
 */
export function findMainMeter(work: SiteWork, uid?: number): Device {
  const config = work.d.store.config;
  if (uid !== undefined) {
    const d = config.device(uid);
    if (!d) throw new SiteError('not-found', `no device with uid ${uid}`);
    if (!isModbus(d) || !d.model)
      throw new SiteError('unsupported', `${d.label}: the main meter of the cross-check is a Modbus meter`);
    return d;
  }
  const marked = work.d.store.meterSettings.mainLoad();
  const markedLoad = marked !== undefined ? config.load(marked) : undefined;
  const markedDevice = markedLoad ? config.device(markedLoad.did) : undefined;
  if (markedDevice && isModbus(markedDevice) && markedDevice.enable && markedDevice.model)
    return markedDevice;
  const site = work.d.plan.get();
  for (const p of site?.devices ?? [])
    if (p.role === 'grid' && p.unit !== undefined && (p.bus.kind === 'serial' || p.bus.kind === 'tcp')) {
      const t = work.configuredAt(busKey(p.bus), p.unit);
      const d = t ? config.device(t.uid) : undefined;
      if (d?.enable && d.model) return d;
    }
  const grid = config
    .devices()
    .filter((d) => isModbus(d) && d.enable && d.model)
    .find((d) => config.loads({ did: d.uid }).some((l) => l.type === 2));
  if (grid) return grid;
  throw new SiteError(
    'not-found',
    'no main meter: mark the main meter (`configure --main`), or plan a Modbus meter with the role grid/main and write the plan, or give its uid',
  );
}

export function findP1Meter(work: SiteWork, uid?: number): Device {
  const config = work.d.store.config;
  if (uid !== undefined) {
    const d = config.device(uid);
    if (!d) throw new SiteError('not-found', `no device with uid ${uid}`);
    if (d.protocol !== 'P1') throw new SiteError('unsupported', `${d.label} is not a P1 meter`);
    return d;
  }
  const p1 = config.devices().find((d) => d.protocol === 'P1' && d.enable);
  if (!p1)
    throw new SiteError(
      'not-found',
      'no P1 meter is configured: add the P1 port first (Discovery, or `ems-commissioner scan p1`)',
    );
  return p1;
}

/** Net power (W, + import) and per phase from a P1 reading; net energy, kWh. */
function p1Values(r: DeviceReading): {
  w?: number;
  phases?: [number, number, number];
  kwh?: number;
} {
  const v = (k: string): number | undefined => {
    const x = r.values.get(k);
    return x && x.status === 1 ? num(x.value) : undefined;
  };
  const per = ([1, 2, 3] as const).map((l) => {
    const i = v(`active_power_import_l${l}`);
    const e = v(`active_power_export_l${l}`);
    return i === undefined && e === undefined ? undefined : (i ?? 0) - (e ?? 0);
  });
  const phases = per.every((x) => x !== undefined) ? (per as [number, number, number]) : undefined;
  const imp = v('power_import');
  const exp = v('power_export');
  const w =
    imp !== undefined || exp !== undefined
      ? (imp ?? 0) - (exp ?? 0)
      : phases
        ? phases[0] + phases[1] + phases[2]
        : undefined;
  const sum = (dir: 'import' | 'export'): number | undefined => {
    const total = v(`energy_${dir}`);
    if (total !== undefined) return total;
    const parts = [1, 2, 3, 4].map((t) => v(`energy_${dir}_t${t}`)).filter((x) => x !== undefined);
    return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
  };
  const ei = sum('import');
  const ee = sum('export');
  return {
    ...(w !== undefined ? { w } : {}),
    ...(phases ? { phases } : {}),
    ...(ei !== undefined ? { kwh: ei - (ee ?? 0) } : {}),
  };
}

/**
 * The main meter's value at time t, linear between the readings either side; none outside them (a
 * telegram from before the first reading may show a load that was switched off since).
 */
function mainAt(
  mains: readonly { t: number; v: Map<string, number | undefined> }[],
  t: number,
  key: string,
): number | undefined {
  const i = mains.findIndex((m) => m.t >= t);
  if (i < 1) return undefined;
  const b = mains[i]!;
  const vb = b.v.get(key);
  const a = mains[i - 1]!;
  const va = a.v.get(key);
  if (va === undefined || vb === undefined) return undefined;
  return b.t === a.t ? vb : va + ((vb - va) * (t - a.t)) / (b.t - a.t);
}

/**
 * Each P1 telegram paired with the main meter at the moment it arrived: a telegram up to a second
 * old is not compared with a reading of now (a ramping load would show as a difference).
 */
function pair(
  telegrams: readonly { t: number; v: ReturnType<typeof p1Values> }[],
  mains: readonly { t: number; v: Map<string, number | undefined> }[],
): { samples: CrossSample[]; energy: { p1: number[]; main: number[]; lastMainKwh: number } } {
  const samples: CrossSample[] = [];
  const energy = { p1: [] as number[], main: [] as number[], lastMainKwh: 0 };
  for (const tg of telegrams) {
    const mainW = mainAt(mains, tg.t, 'active_power');
    if (tg.v.w === undefined || mainW === undefined) continue;
    const mp = [1, 2, 3].map((l) => mainAt(mains, tg.t, `active_power_l${l}`));
    samples.push({
      t: tg.t,
      p1W: tg.v.w,
      mainW,
      ...(tg.v.phases ? { p1Phases: tg.v.phases } : {}),
      ...(mp.every((x) => x !== undefined) ? { mainPhases: mp as [number, number, number] } : {}),
    });
    const ei = mainAt(mains, tg.t, 'energy_import');
    if (tg.v.kwh !== undefined && ei !== undefined) {
      energy.p1.push(tg.v.kwh);
      energy.main.push(ei - (mainAt(mains, tg.t, 'energy_export') ?? 0));
      energy.lastMainKwh = ei;
    }
  }
  return { samples, energy };
}

/** Resolution of a model's energy counter at a value, Wh. */
function resolutionWh(model: DeviceModel, valueKwh: number): number {
  const s = model.signals.find((x) => x.key === 'energy_import');
  if (!s) return 1;
  const toWh = s.unit === 'Wh' ? 1 : 1000;
  if (s.type === 'float32') return Math.max(1e-3, Math.abs(valueKwh) * 2 ** -23 * toWh);
  if (s.type === 'float64') return 1e-3;
  return Math.abs(s.scale ?? 1) * toWh;
}

/**
 * The cross-check: the P1 meter and the main meter read together over the window, the result kept for
 * the report and returned. The main meter's bus statistics are kept like every other site step's.
 */
export async function crossCheck(
  work: SiteWork,
  openP1: (device: Device) => P1Source,
  o: CrossCheckOptions = {},
): Promise<CrossCheckResult> {
  const seconds = o.seconds ?? DEFAULT_CROSS_SECONDS;
  const p1Device = findP1Meter(work, o.p1Uid);
  const main = findMainMeter(work, o.mainUid);
  const model = work.d.library.require(main.model!);
  const c = main.connection as RtuConnection | TcpConnection;
  const intervalMs = Math.min(1000, Math.max(100, (seconds * 1000) / 30));
  const p1 = openP1(p1Device);
  try {
    const waitUntil = Date.now() + (o.firstTelegramMs ?? 12_000);
    let first = await p1.read();
    while (!first.reading.answered && Date.now() < waitUntil) {
      await sleep(200);
      first = await p1.read();
    }
    if (!first.reading.answered)
      throw new SiteError(
        'unsupported',
        `${p1Device.label}: no P1 telegram (${first.reading.error ?? 'silent'}); check the P1 cable and that the port is the meter's`,
      );
    const at = Date.now();
    // Each P1 telegram once, at the moment it arrived; the main meter at the middle of each read.
    const telegrams: { t: number; v: ReturnType<typeof p1Values> }[] = [];
    const mains: { t: number; v: Map<string, number | undefined> }[] = [];
    let ctRatio: number | null = null;
    await work.withBus(lineOf(c), async (bus) => {
      if (model.config?.some((x) => x.key === 'ct_ratio'))
        ctRatio = await readConfig({ bus, model, unit: c.unit }, ['ct_ratio'])
          .then((r) => r[0]?.value ?? null)
          .catch(() => null);
      const driver = new ModbusDriver(bus, model, c.unit, MAIN_KEYS);
      // A reading with a block missing (a timeout on a busy line) is left out, not half used: it
      // must hold the power and every value an earlier reading held (a meter may lack some for good).
      const seen = new Set<string>();
      const complete = (r: Awaited<ReturnType<ModbusDriver['read']>> | undefined) => {
        if (!r) return undefined;
        const v = new Map(r.readings.filter((x) => x.status === 1).map((x) => [x.key, num(x.value)]));
        for (const [k, x] of v) if (x === undefined) v.delete(k);
        if (!v.has('active_power') || [...seen].some((k) => !v.has(k))) return undefined;
        for (const k of v.keys()) seen.add(k);
        return v;
      };
      const end = at + seconds * 1000;
      do {
        const tick = Date.now();
        const [pr, mr] = await Promise.all([p1.read(), driver.read().catch(() => undefined)]);
        const done = Date.now();
        if (
          pr.reading.answered &&
          pr.receivedAt !== null &&
          pr.receivedAt >= at &&
          pr.receivedAt !== telegrams.at(-1)?.t
        )
          telegrams.push({ t: pr.receivedAt, v: p1Values(pr.reading) });
        const mv = complete(mr);
        if (mv) mains.push({ t: (tick + done) / 2, v: mv });
        const wait = tick + intervalMs - Date.now();
        if (Date.now() + Math.max(0, wait) >= end) break;
        if (wait > 0) await sleep(wait);
      } while (Date.now() < end);
      // One more main reading after the last telegram, so it lies between two.
      const last = complete(await driver.read().catch(() => undefined));
      if (last) mains.push({ t: Date.now(), v: last });
    });
    const { samples, energy } = pair(telegrams, mains);
    const delta = (a: number[]): number | null => (a.length >= 2 ? (a.at(-1)! - a[0]!) * 1000 : null);
    const result = analyseCrossCheck({
      at,
      seconds,
      p1: { uid: p1Device.uid, label: p1Device.label },
      main: { uid: main.uid, label: main.label },
      samples,
      energy: {
        p1Wh: delta(energy.p1),
        mainWh: delta(energy.main),
        mainResolutionWh: resolutionWh(model, energy.lastMainKwh),
      },
      ctRatio,
    });
    work.record('p1-check', result.ok, result, main.uid);
    return result;
  } finally {
    await p1.close();
  }
}
