/**
 * THE contract between the renderer and the engine. The Electron preload (IPC), the browser bridge
 * (WebSocket) and main's handlers all implement or consume exactly these types. No Electron, no Node,
 * no engine imports; the request schemas are only referenced as types here, so the sandboxed preload
 * bundle stays free of any library.
 */
import type { Device, HistoryRecord, Load, Realtime, Signal } from './domain.js';
import type { Requests } from './requests.js';
import type {
  ConfigWriteReport,
  DeviceCheck,
  DeviceStatus,
  FoundDevice,
  HistorySeries,
  LoadConfigView,
  ModelSummary,
  MonitorFrameView,
  MonitorSnapshot,
  NewToken,
  PortView,
  ScanFinished,
  ScanProgress,
  SettingsView,
  TokenView,
  UserView,
} from './views.js';
import type { IntegrationsView } from './views-integrations.js';
import type { MbusScanFinished, P1DetectView } from './views-mbus-p1.js';
import type { CatalogueEntryView, ModelFileView, PickValueView, ProbeView } from './views-mapping.js';
import type {
  BaselineView,
  DriftView,
  LoadStepView,
  CrossCheckView,
  PhaseSnapshotView,
  PlanCheckView,
  SiteFileView,
  SiteReportHtmlView,
  SiteReportPdfView,
  SiteView,
  WritePlanView,
} from './views-site.js';

export * from './domain.js';
export type * from './views.js';
export type * from './views-mbus-p1.js';
export type * from './views-mapping.js';
export type { MapPick, MapTarget } from './requests-mapping.js';
export type * from './views-integrations.js';
export type * from './views-site.js';
export type { PlannedBus, PlannedDevice, Site, SiteInfo, SiteRole } from './site.js';
export type { Requests } from './requests.js';

export interface EngineInfo {
  version: string;
  host: 'electron' | 'browser';
  dbFile: string;
  apiUrl: string | null;
  demo: boolean;
  /** Who is signed in over the browser bridge (null in the desktop window). */
  user: { username: string; role: 'api' | 'admin' } | null;
}

/** A signal as the tree shows it: with its catalogue name ("Voltage L1-N"). */
export interface TreeSignal extends Signal {
  name: string;
}
export interface TreeLoad extends Load {
  signals: TreeSignal[];
  /** The site's main (grid) meter; one per site. */
  main: boolean;
  /** A load of an electricity meter, which can be made the main meter. */
  canBeMain: boolean;
}

/** The site's main meter after `load.setMain`, and the one before (null: none). */
export interface MainMeterView {
  main: number | null;
  previous: number | null;
}
export interface TreeDevice extends Device {
  loads: TreeLoad[];
}

/** Response type of every call, keyed by channel name. */
export interface Responses {
  'engine.info': EngineInfo;
  'config.tree': TreeDevice[];
  'config.models': ModelSummary[];
  'device.status': DeviceStatus[];
  'device.add': TreeDevice;
  'device.update': Device;
  'device.remove': { removed: boolean };
  'device.check': DeviceCheck;
  'load.update': Load;
  'load.setMain': MainMeterView;
  'signal.update': Signal;
  'realtime.get': Realtime[];
  'history.get': HistorySeries[];
  'discovery.ports': PortView[];
  'discovery.start': { scanId: string; total: number };
  'discovery.cancel': { cancelled: boolean };
  'discovery.add': TreeDevice;
  'mbus.scan': { scanId: string; total: number };
  'mbus.cancel': { cancelled: boolean };
  'mbus.add': TreeDevice;
  'p1.detect': P1DetectView;
  'p1.add': TreeDevice;
  'loadconfig.read': LoadConfigView;
  'loadconfig.write': ConfigWriteReport;
  'monitor.snapshot': MonitorSnapshot;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'settings.demo': SettingsView;
  'users.list': UserView[];
  'users.add': UserView;
  'users.remove': { removed: boolean };
  'users.password': { changed: boolean };
  'tokens.list': TokenView[];
  'tokens.create': NewToken;
  'tokens.revoke': { revoked: boolean };
  'mapping.catalogue': CatalogueEntryView[];
  'mapping.probe': ProbeView;
  'mapping.read': PickValueView[];
  'mapping.save': ModelSummary;
  'mapping.export': ModelFileView;
  'mapping.import': ModelSummary;
  'integrations.get': IntegrationsView;
  'integrations.update': IntegrationsView;
  'site.get': SiteView;
  'site.update': SiteView;
  'site.create': SiteView;
  'site.import': SiteView;
  'site.export': SiteFileView;
  'site.check': PlanCheckView;
  'site.writePlan': WritePlanView;
  'site.stepSnapshot': PhaseSnapshotView;
  'site.stepEvaluate': LoadStepView;
  'site.crossCheck': CrossCheckView;
  'site.baseline': BaselineView;
  'site.drift': DriftView;
  'site.report': SiteReportHtmlView;
  'site.reportPdf': SiteReportPdfView;
  'site.demoLoad': { switched: boolean };
}

/** Request → response types of every call, keyed by channel name. */
export type InvokeMap = { [K in keyof Requests]: { req: Requests[K]; res: Responses[K] } };
export type InvokeChannel = keyof InvokeMap;

// Both maps must name the same channels: a channel with a schema but no response type (or the
// reverse) fails to compile here.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type Assert<T extends true> = T;

/** Columnar batch of samples: one message per ~250 ms, never one per sample. */
export interface SampleBatch {
  uid: number[];
  t: number[];
  v: (number | string | null)[];
  s: number[];
}

/** Event payloads pushed from the engine, keyed by event name. */
export interface EventMap {
  samples: SampleBatch;
  /** Device states that changed since the last batch. */
  status: DeviceStatus[];
  /** The configuration changed (devices, loads, signals): refetch the tree. */
  'config.changed': { reason: string };
  'discovery.progress': ScanProgress;
  'discovery.found': { scanId: string; device: FoundDevice };
  'discovery.finished': ScanFinished;
  /** Progress of an M-Bus scan (`current`: baud rate and the address or mask being tried). */
  'mbus.progress': ScanProgress;
  'mbus.finished': MbusScanFinished;
  /** Bus monitor frames since the last batch. */
  'monitor.frames': MonitorFrameView[];
}

export type EventName = keyof EventMap;

/** Every event name, for the places that must check a name at run time (IPC and WebSocket input). */
export const EVENT_NAMES = [
  'samples',
  'status',
  'config.changed',
  'discovery.progress',
  'discovery.found',
  'discovery.finished',
  'mbus.progress',
  'mbus.finished',
  'monitor.frames',
] as const satisfies readonly EventName[];

/** Compile-time checks: the request and response maps, and EVENT_NAMES and EventMap, name the same keys. */
export type ContractChecks = [
  Assert<SameKeys<Requests, Responses>>,
  Assert<SameKeys<Record<(typeof EVENT_NAMES)[number], 1>, EventMap>>,
];

export function isEventName(x: unknown): x is EventName {
  return typeof x === 'string' && (EVENT_NAMES as readonly string[]).includes(x);
}

export type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** Calls whose argument is optional may be made without one. */
export type InvokeArgs<K extends InvokeChannel> = undefined extends InvokeMap[K]['req']
  ? [arg?: InvokeMap[K]['req']]
  : [arg: InvokeMap[K]['req']];

/** What `window.ems` offers the renderer, whichever bridge backs it. */
export interface EmsApi {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<Result<InvokeMap[K]['res']>>;
  /** Subscribes to an event; the engine only produces it while someone listens. Returns the unsubscribe. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The IPC channel names, derived from the maps so no string is typed twice. */
export const INVOKE_PREFIX = 'ems:invoke:';
export const EVENT_PREFIX = 'ems:event:';
/** Preload → main: start or stop forwarding one event to this window. */
export const SUBSCRIBE_CHANNEL = 'ems:subscribe';

/** History records are also sent as rows by the HTTP API; the UI uses the columnar HistorySeries. */
export type { HistoryRecord };
