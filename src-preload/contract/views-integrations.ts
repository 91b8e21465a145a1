/** What each integration reports about itself: the UI's Settings and `GET /v1/integrations` show it. */
export interface IntegrationStatus {
  name: 'mqtt' | 'influx' | 'prometheus' | 'modbusGateway';
  enabled: boolean;
  /** Broker/database reachable, gateway listening; null where the idea does not apply (Prometheus is scraped). */
  connected: boolean | null;
  /** Where it sends to or listens on (no credentials). */
  target: string | null;
  /** Messages, lines or requests waiting to go out. */
  backlog: number;
  /** What a full queue had to drop (MQTT); never anything within the bound. */
  dropped: number;
  /** Messages published, lines written, scrapes answered or requests served since start. */
  sent: number;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Modbus gateway: which unit id answers for which device (moved when two devices share one). */
  units?: GatewayUnitView[];
}

export interface GatewayUnitView {
  unit: number;
  deviceUid: number;
  label: string;
  model: string;
  /** The device's own unit id on its bus; differs from `unit` when it was moved to avoid a clash. */
  busUnit: number;
  writable: boolean;
}

/** An integration's settings as the UI sees them: every password or token replaced by whether one is set. */
export interface IntegrationSettingsView {
  mqtt: {
    enabled: boolean;
    url: string;
    username: string;
    passwordSet: boolean;
    caFile: string;
    prefix: string;
    discoveryPrefix: string;
    discovery: boolean;
    queueLimit: number;
  };
  influx: {
    enabled: boolean;
    url: string;
    version: 1 | 2;
    database: string;
    org: string;
    bucket: string;
    username: string;
    passwordSet: boolean;
    tokenSet: boolean;
    batchSize: number;
  };
  prometheus: { enabled: boolean; openOnLoopback: boolean };
  modbusGateway: { enabled: boolean; host: string; port: number; allowRemote: boolean; writable: number[] };
}

/** `integrations.get`/`integrations.update`: the settings in force and what each integration reports now. */
export interface IntegrationsView {
  settings: IntegrationSettingsView;
  status: IntegrationStatus[];
}
