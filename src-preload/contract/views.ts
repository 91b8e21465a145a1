/**
 * Response and event payloads of the UI features. Plain data only: no Electron, no Node, no engine
 * imports. Main maps its own types onto these; the renderer only ever sees these.
 */
import type { Parity, RtuConnection, TcpConnection } from './domain.js';

/** Polling state of one device, from the poller. */
export interface DeviceStatus {
  uid: number;
  state: 'online' | 'stale' | 'error' | 'disabled';
  lastOkMs: number | null;
  lastError: string | null;
  cycles: number;
  failures: number;
  lastDurationMs: number;
}

/** A device model of the library, as a name to show; never the register map. */
export interface ModelSummary {
  id: string;
  vendor: string;
  name: string;
  protocols: ('rtu' | 'tcp')[];
  configurable: boolean;
}

/** Roll-ups of one signal as columns: p period end (s), v mean/last, min/max over the period. */
export interface HistorySeries {
  uid: number;
  p: number[];
  v: number[];
  min: number[];
  max: number[];
  d: number[];
}

/** One wiring/plausibility check of a configured device, read from the meter itself. */
export interface DeviceCheck {
  uid: number;
  ok: boolean;
  answered: boolean;
  /** What the technician reads first: "Eastron SDM630 at unit 1 on …: 2 problems". */
  summary: string;
  findings: { severity: 'error' | 'warning' | 'info'; message: string; fix: string }[];
  durationMs: number;
}

// ---- discovery -------------------------------------------------------------------------------

export interface UnitRange {
  from: number;
  to: number;
}

export interface RtuScanRequest {
  protocol: 'rtu';
  port: string;
  bauds: number[];
  parities: Parity[];
  stopBits: (1 | 2)[];
  units: UnitRange;
}
export interface TcpScanRequest {
  protocol: 'tcp';
  hosts: string[];
  port: number;
  units: UnitRange;
}
export type ScanRequest = RtuScanRequest | TcpScanRequest;

export interface FoundValue {
  key: string;
  /** Catalogue name: "Voltage L1-N". */
  name: string;
  value: number | string | null;
  unit: string;
}

export interface FoundDevice {
  /** Handle for `discovery.add` while the scan is remembered. */
  id: string;
  protocol: 'rtu' | 'tcp';
  /** Where it answered (the engine adds it with exactly this connection). */
  connection: Omit<RtuConnection, 'model'> | Omit<TcpConnection, 'model'>;
  unit: number;
  /** 'meter' identified from the library; 'unknown' answers but matches no model; 'not-a-meter' e.g. a gateway. */
  kind: 'meter' | 'unknown' | 'not-a-meter';
  /** Library model id, or null when no model matched. */
  model: string | null;
  modelName: string;
  /** "9600 8N1" or "10.0.0.5:502". */
  settings: string;
  serialNumber: string | null;
  latencyMs: number;
  /** A few values read once after the scan (voltage, power, …). */
  firstValues: FoundValue[];
  note: string | null;
}

export interface ScanProgress {
  scanId: string;
  done: number;
  total: number;
  /** The setting being probed now, e.g. "9600 8E1 unit 17". */
  current: string;
  etaMs: number | null;
  /** How many answered so far (each one also comes as a discovery.found event). */
  found: number;
}

export interface ScanFinished {
  scanId: string;
  outcome: 'done' | 'cancelled' | 'failed';
  message: string | null;
  /** What else the technician should know (noise at another baud rate, gateways seen). */
  hints: string[];
  durationMs: number;
  found: FoundDevice[];
}

export interface PortView {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  chip: string | null;
  rs485Likely: boolean;
}

// ---- load configuration ----------------------------------------------------------------------

/** One writable meter setting, described by the engine so the form needs no device library. */
export interface ConfigField {
  key: string;
  label: string;
  kind: 'number' | 'choice' | 'command';
  unit: string | null;
  choices: { value: number; label: string }[] | null;
  min: number | null;
  max: number | null;
  /** Smallest step the register can hold (1 / scale), null for floats. */
  step: number | null;
  note: string | null;
  /** What the sources leave open about this setting. */
  uncertain: string | null;
  /** Current value on the meter, null if not readable or not read. */
  value: number | null;
  readError: string | null;
}

export interface LoadConfigView {
  lid: number;
  did: number;
  deviceLabel: string;
  model: string;
  fields: ConfigField[];
  /** Why there is nothing to configure, when fields is empty. */
  message: string | null;
  readAt: number;
}

export interface ConfigWriteResult {
  key: string;
  label: string;
  old: number | null;
  requested: number;
  readBack: number | null;
  /** `unknown`: the line went away while it was sent and it could not be read back. */
  outcome: 'ok' | 'unverified' | 'unchanged' | 'mismatch' | 'refused' | 'failed' | 'skipped' | 'unknown';
  /** Plain words: "the meter refused the value (Modbus exception 3: illegal data value)". */
  message: string;
}

/** A write of an earlier, interrupted job on this meter, settled by this job's first read. */
export interface ConfigWriteResolved {
  key: string;
  requested: number;
  /** When it was sent (ms since the epoch) and by whom. */
  t: number;
  who: string;
  readBack: number;
  reached: boolean;
}

export interface ConfigWriteReport {
  lid: number;
  ok: boolean;
  results: ConfigWriteResult[];
  /** The whole outcome in one sentence. */
  message: string;
  resolved: ConfigWriteResolved[];
}

// ---- bus monitor -----------------------------------------------------------------------------

export type FrameOutcome =
  'ok' | 'timeout' | 'crc-error' | 'exception' | 'wrong-unit' | 'garbage' | 'malformed' | 'disconnected';

export interface MonitorFrameView {
  seq: number;
  t: number;
  bus: string;
  dir: 'tx' | 'rx' | 'none';
  hex: string;
  unit: number;
  fc: number;
  /** "Read holding registers 0x0000 ×76" */
  fn: string;
  durationMs: number | null;
  outcome: FrameOutcome | null;
  exceptionCode: number | null;
  note: string | null;
  /** The configured device at this bus and unit, if any. */
  did: number | null;
  device: string | null;
}

export interface UnitStatsView {
  bus: string;
  unit: number;
  did: number | null;
  device: string | null;
  requests: number;
  errors: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  wrongUnit: number;
  meanMs: number;
  maxMs: number;
}

export interface BusView {
  bus: string;
  state: 'closed' | 'open' | 'disconnected';
  framing: string;
  queue: number;
  lastError: string | null;
}

export interface MonitorSnapshot {
  buses: BusView[];
  stats: UnitStatsView[];
  frames: MonitorFrameView[];
}

// ---- settings --------------------------------------------------------------------------------

export interface ApiSettings {
  host: string;
  port: number;
}

export interface SettingsView {
  /** Where the API listens now (null when it is off). */
  apiUrl: string | null;
  /** What is saved for the next start. */
  api: ApiSettings;
  apiLoopback: boolean;
  dbFile: string;
  rawRetentionDays: number;
  /** Retention the running engine uses (it changes at the next start). */
  rawRetentionDaysActive: number;
  demo: { running: boolean; devices: number };
  /** Whether API tokens can be made here (they need an admin account to vouch for them). */
  tokensAvailable: boolean;
}

export interface UserView {
  username: string;
  role: 'api' | 'admin';
  created: number;
}

export interface TokenView {
  id: string;
  label: string;
  createdBy: string;
  created: number;
  revoked: boolean;
}

export interface NewToken {
  token: TokenView;
  /** Shown once; the store keeps only a hash. */
  secret: string;
}
