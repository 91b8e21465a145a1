/**
 * Domain types shared by the engine, the APIs, the preload, the browser bridge and the renderer.
 * Plain data only: no Electron, no Node, no engine imports.
 */
export const PROTOCOLS = ['rtu', 'tcp', 'meterBus', 'virtual', 'P1'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export type SystemType = '1P' | '2P' | '3P' | '3P.N';
export type Parity = 'none' | 'even' | 'odd';

export interface RtuConnection {
  port: string;
  baud: number;
  parity: Parity;
  stopBits: 1 | 2;
  unit: number;
  model: string;
}
export interface TcpConnection {
  host: string;
  port: number;
  unit: number;
  model: string;
  /** RTU frames tunnelled over TCP (serial gateways) instead of Modbus TCP/MBAP. */
  rtuOverTcp?: boolean;
}
export interface MeterBusConnection {
  port: string;
  baud: number;
  /** Primary address 0..250, or addressing by secondary id. */
  primary?: number;
  secondary?: string;
}
export interface P1Connection {
  port: string;
  baud: number;
  parity: Parity;
  dataBits: 7 | 8;
  dsmr?: string;
}
export interface VirtualConnection {
  [k: string]: never;
}

export type Connection =
  RtuConnection | TcpConnection | MeterBusConnection | P1Connection | VirtualConnection;

export interface Device {
  uid: number;
  label: string;
  partNumber: string;
  system: SystemType;
  protocol: Protocol;
  model: string | null;
  connection: Connection;
  enable: boolean;
  pollMs: number;
}

export type LoadType = 0 | 1 | 2;

export interface Load {
  uid: number;
  did: number;
  uuid: string;
  label: string;
  enable: boolean;
  index: number;
  type: LoadType;
  /** Protocol settings of this load; reported under a key named after its protocol. */
  settings: Record<string, unknown>;
}

export interface Signal {
  uid: number;
  lid: number;
  did: number;
  si: number;
  sir: number;
  key: string;
  kind: 'gauge' | 'counter';
  type: 'float' | 'integer' | 'boolean' | 'string';
  unit: string;
  enable: boolean;
  /** Raw samples are stored only when they moved more than this, or this long passed; absent: all. */
  deadband?: SignalDeadband;
}

/** A per-signal deadband: `delta` in the signal's unit (≥ 0), `maxGapS` the longest gap, 1 s to 24 h. */
export interface SignalDeadband {
  delta: number;
  maxGapS: number;
}

/** s: 1 valid, 0 stale / not answered, 2 out of range. r: 0 measured, 1 computed. */
export type SampleStatus = 0 | 1 | 2;

export interface Realtime {
  uid: number;
  si: number;
  v: number | string | null;
  t: number;
  r: 0 | 1;
  s: SampleStatus;
}

/** One 60-s roll-up: t last sample (s), p period end (s), v mean (gauge) or last (counter), d counter increase. */
export interface HistoryRecord {
  uid: number;
  t: number;
  p: number;
  v: number;
  d: number;
  max: number;
  min: number;
}
