import type {
  Device,
  MeterBusConnection,
  P1Connection,
  RtuConnection,
  TcpConnection,
} from '../../src-preload/contract/domain.js';
import type { PlannedDevice } from '../../src-preload/contract/site.js';
import { lineKey } from '../bus/bus-registry.js';
import type { CheckReport } from '../commissioning/check-device.js';
import { lineOf } from '../commissioning/service.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { SiteResultRow } from '../store/site-repo.js';
import type { Store } from '../store/store.js';
import { sumHealth, type BusHealth } from './bus-health.js';
import type { LoadStepResult } from './load-step.js';
import type { PlanCheck, PlanMatch } from './plan-match.js';
import type { ReportCrossCheck, ReportData, ReportDevice, ReportValues } from './report-types.js';
import { busKey } from './site-file.js';
import { EMPTY_INFO, type SitePlan } from './site-service.js';

/** The values a report shows per meter, in this order, when the meter has them. */
const MAIN_VALUES = [
  'voltage_l1',
  'voltage_l2',
  'voltage_l3',
  'current_l1',
  'current_l2',
  'current_l3',
  'active_power_l1',
  'active_power_l2',
  'active_power_l3',
  'active_power',
  'reactive_power',
  'power_factor',
  'frequency',
  'energy_import',
  'energy_export',
];

const ROLE_OF_LOAD_TYPE = ['consumption', 'production', 'grid'] as const;
const PARITY = { none: 'N', even: 'E', odd: 'O' } as const;

function parse<T>(rows: readonly SiteResultRow[]): { row: SiteResultRow; doc: T }[] {
  return rows.map((row) => ({ row, doc: JSON.parse(row.doc) as T }));
}

/** Bus and its settings in words a technician reads off the adapter. */
export function describeBus(d: Pick<Device, 'protocol' | 'connection'>): string {
  switch (d.protocol) {
    case 'rtu': {
      const c = d.connection as RtuConnection;
      return `Modbus RTU ${c.port}, ${c.baud} baud, 8${PARITY[c.parity]}${c.stopBits}`;
    }
    case 'tcp': {
      const c = d.connection as TcpConnection;
      return `Modbus ${c.rtuOverTcp ? 'RTU over TCP' : 'TCP'} ${c.host}:${c.port}`;
    }
    case 'P1': {
      const c = d.connection as P1Connection;
      return `P1 ${c.port}, ${c.baud} baud`;
    }
    case 'meterBus': {
      const c = d.connection as MeterBusConnection;
      return `M-Bus ${c.port}, ${c.baud} baud`;
    }
    default:
      return d.protocol;
  }
}

function describePlannedBus(p: PlannedDevice): string {
  const b = p.bus;
  if (b.kind === 'serial') return `Modbus RTU ${b.port}, ${b.baud} baud, 8${PARITY[b.parity]}${b.stopBits}`;
  if (b.kind === 'tcp') return `Modbus ${b.rtuOverTcp ? 'RTU over TCP' : 'TCP'} ${b.host}:${b.port}`;
  return busKey(b);
}

function addressOf(d: Device): string {
  const c = d.connection as { unit?: number; primary?: number; secondary?: string };
  if (c.unit !== undefined) return `unit ${c.unit}`;
  if (c.primary !== undefined) return `address ${c.primary}`;
  if (c.secondary !== undefined) return `secondary ${c.secondary}`;
  return '';
}

/** Bus key + unit of a configured Modbus device, as the wire and the bus statistics name it. */
function wireKey(d: Device): string | undefined {
  if (d.protocol !== 'rtu' && d.protocol !== 'tcp') return undefined;
  const c = d.connection as RtuConnection | TcpConnection;
  return `${lineKey(lineOf(c))} ${c.unit}`;
}

export interface ReportSources {
  store: Store;
  library: DeviceLibrary;
  catalogue: SignalCatalogue;
  sitePlan: SitePlan;
}

/**
 * Gathers the report from the store: the site plan, the configuration, the audit log of setting
 * writes and the commissioning results (site_results). Reads only; the renderer does the rest.
 */
export function gatherReport(s: ReportSources, o: { now?: Date; appVersion?: string } = {}): ReportData {
  const site = s.sitePlan.require();
  const results = s.store.site.results(undefined, 100_000);
  const of = (kind: string) => results.filter((r) => r.kind === kind);
  const planChecks = parse<PlanCheck>(of('plan-check'));
  const planCheck = planChecks.at(-1)?.doc ?? null;
  const config = s.store.config.devices();
  const byWireKey = new Map(config.flatMap((d) => (wireKey(d) ? [[wireKey(d)!, d] as const] : [])));
  const labelOf = (did: number | null): string =>
    config.find((d) => d.uid === did)?.label ?? (did === null ? '-' : `device ${did}`);

  // Planned devices first (in plan order), then configured devices the plan does not name.
  const devices: ReportDevice[] = [];
  const covered = new Set<number>();
  site.devices.forEach((p, index) => {
    const m: PlanMatch | undefined = planCheck?.matches.find((x) => x.index === index);
    const w = m?.wire ?? null;
    const dev =
      (w?.uid !== undefined ? config.find((d) => d.uid === w.uid) : undefined) ??
      (w?.unit !== undefined ? byWireKey.get(`${w.bus} ${w.unit}`) : undefined) ??
      config.find((d) => d.label === p.label);
    if (dev) covered.add(dev.uid);
    const modelId = dev?.model ?? w?.model ?? p.model;
    const planned = (v: string | undefined): string | null => (v ? `${v} (planned)` : null);
    devices.push({
      label: p.label,
      uid: dev?.uid ?? null,
      role: p.role,
      model: modelId,
      modelName: nameOf(s.library, modelId),
      partNumber: w?.partNumber ?? (dev?.partNumber || null),
      serialNumber: w?.serialNumber ?? planned(p.serialNumber),
      firmware: w?.firmware ?? planned(p.firmware),
      system: dev?.system ?? w?.system ?? p.system ?? null,
      address: dev
        ? addressOf(dev)
        : p.unit !== undefined
          ? `unit ${p.unit}`
          : p.mbusAddress !== undefined
            ? `address ${p.mbusAddress}`
            : '',
      bus: dev ? describeBus(dev) : describePlannedBus(p),
      planOutcome: m?.outcome ?? null,
      differences: m?.differences ?? [],
    });
  });
  for (const dev of config) {
    if (covered.has(dev.uid)) continue;
    const type = s.store.config.loads({ did: dev.uid })[0]?.type;
    devices.push({
      label: dev.label,
      uid: dev.uid,
      role: type === undefined ? null : ROLE_OF_LOAD_TYPE[type],
      model: dev.model,
      modelName: nameOf(s.library, dev.model),
      partNumber: dev.partNumber || null,
      serialNumber: null,
      firmware: null,
      system: dev.system,
      address: addressOf(dev),
      bus: describeBus(dev),
      planOutcome: null,
      differences: [],
    });
  }

  const wiringChecks = parse<CheckReport>(of('wiring-check')).map(({ row, doc }) => ({
    t: row.t,
    uid: row.did ?? -1,
    label: labelOf(row.did),
    report: doc,
  }));
  const health = sumHealth(parse<BusHealth[]>(of('bus-health')).flatMap((x) => x.doc)).map((h) => ({
    ...h,
    device: byWireKey.get(`${h.bus} ${h.unit}`)?.label ?? `unit ${h.unit}`,
  }));
  const values: ReportValues[] = [];
  const latestCheck = new Map(wiringChecks.map((w) => [w.uid, w]));
  for (const dev of config) {
    const c = latestCheck.get(dev.uid);
    const rows = c ? mainValues(s.catalogue, c.report.values) : storedValues(s, dev.uid);
    if (rows.rows.length) values.push({ label: dev.label, t: c?.t ?? rows.t, rows: rows.rows });
  }
  return {
    generatedAt: (o.now ?? new Date()).getTime(),
    appVersion: o.appVersion ?? '',
    site: { ...EMPTY_INFO, ...site.site },
    devices,
    planCheck,
    // The audit log is newest first; the report reads as it happened.
    writes: s.store.configWrites
      .list({ limit: 100_000 })
      .reverse()
      .map((e) => ({ ...e, device: labelOf(e.did) })),
    wiringChecks,
    loadSteps: parse<LoadStepResult>(of('load-step')).map((x) => x.doc),
    crossChecks: of('p1-check').map((r) => ({
      t: r.t,
      ok: r.ok,
      doc: JSON.parse(r.doc) as ReportCrossCheck['doc'],
    })),
    health,
    values,
  };
}

function nameOf(library: DeviceLibrary, id: string | null | undefined): string | null {
  const m = id ? library.get(id) : undefined;
  return m ? `${m.vendor} ${m.name}` : null;
}

function mainValues(catalogue: SignalCatalogue, v: Record<string, number>): Omit<ReportValues, 'label'> {
  const rows = MAIN_VALUES.flatMap((key) => {
    const value = v[key];
    const e = catalogue.byKey.get(key);
    return value === undefined || !e ? [] : [{ key, name: e.name, unit: e.unit, value }];
  });
  return { t: 0, rows };
}

/** A device never checked: the poller's latest samples, when it ran. */
function storedValues(s: ReportSources, did: number): Omit<ReportValues, 'label'> {
  const signals = s.store.config.signals({ did }).filter((x) => MAIN_VALUES.includes(x.key));
  const latest = s.store.telemetry.latest(signals.map((x) => x.uid));
  let t = 0;
  const v: Record<string, number> = {};
  for (const sig of signals) {
    const l = latest.get(sig.uid);
    if (l && typeof l.v === 'number') {
      v[sig.key] = l.v;
      t = Math.max(t, l.t);
    }
  }
  return { ...mainValues(s.catalogue, v), t };
}
