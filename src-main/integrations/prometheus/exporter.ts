import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Device } from '../../../src-preload/contract/domain.js';
import type { Engine } from '../../engine.js';
import type { DeviceStatus } from '../../poller/poller.js';
import type { SignalDirectory } from '../directory.js';
import { IntegrationState, type Integration, type IntegrationStatus } from '../status.js';

/** The figures the exporter takes from the engine: the sample stream's latest values and the health counters. */
export interface HealthSource {
  engine: Engine;
  directory: SignalDirectory;
  /** Every integration's state, so a scrape also shows whether MQTT and InfluxDB keep up. */
  integrations(): IntegrationStatus[];
}

const deviceLabels = ['device_uid', 'device'] as const;

/**
 * `GET /metrics` in Prometheus' text format (prom-client, on a registry of its own): each signal's latest
 * value as a gauge, and the engine's health. Values are read at scrape time from the store's realtime
 * table and the poller/bus counters; poll cycles are counted from the poller's status stream.
 */
export class PrometheusExporter implements Integration {
  readonly state = new IntegrationState('prometheus');
  readonly registry = new Registry();
  private readonly cycles: Counter<(typeof deviceLabels)[number]>;
  private readonly failures: Counter<(typeof deviceLabels)[number]>;
  private readonly apiRequests: Counter<'method' | 'route' | 'status'>;
  private readonly offStatus: () => void;

  constructor(private readonly src: HealthSource) {
    const { engine, directory } = src;
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: 'ems_process_' });
    this.cycles = new Counter({
      name: 'ems_poll_cycles_total',
      help: 'Poll cycles run per device',
      labelNames: deviceLabels,
      registers: [r],
    });
    this.failures = new Counter({
      name: 'ems_poll_failures_total',
      help: 'Poll cycles in which the device did not answer',
      labelNames: deviceLabels,
      registers: [r],
    });
    this.apiRequests = new Counter({
      name: 'ems_api_requests_total',
      help: 'HTTP API requests answered, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [r],
    });
    const onStatus = (s: DeviceStatus): void => {
      const d = engine.store.config.device(s.uid);
      const labels = { device_uid: String(s.uid), device: d?.label ?? '' };
      this.cycles.inc(labels);
      if (s.state !== 'online') this.failures.inc(labels);
    };
    engine.poller.on('status', onStatus);
    this.offStatus = () => engine.poller.off('status', onStatus);

    new Gauge({
      name: 'ems_signal_value',
      help: 'Latest valid value of each signal, in its unit',
      labelNames: ['device_uid', 'device', 'load_uid', 'load', 'key', 'name', 'unit', 'kind'],
      registers: [r],
      collect() {
        this.reset();
        for (const rt of engine.store.samples.realtime()) {
          if (rt.s !== 1 || typeof rt.v !== 'number' || !Number.isFinite(rt.v)) continue;
          const info = directory.signal(rt.uid);
          if (!info) continue;
          this.set(
            {
              device_uid: String(info.device.uid),
              device: info.device.label,
              load_uid: String(info.load.uid),
              load: info.load.label,
              key: info.signal.key,
              name: info.name,
              unit: info.signal.unit,
              kind: info.signal.kind,
            },
            rt.v,
          );
        }
      },
    });
    new Gauge({
      name: 'ems_device_up',
      help: '1 while the device answers its polls, 0 when stale or failing',
      labelNames: [...deviceLabels, 'state'],
      registers: [r],
      collect() {
        this.reset();
        for (const s of engine.poller.status()) {
          const d = engine.store.config.device(s.uid);
          this.set(
            { device_uid: String(s.uid), device: d?.label ?? '', state: s.state },
            s.state === 'online' ? 1 : 0,
          );
        }
      },
    });
    const busGauge = (name: string, help: string, pick: (row: BusRow) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['bus', 'unit', ...deviceLabels],
        registers: [r],
        collect() {
          this.reset();
          for (const row of busRows(engine))
            this.set(
              { bus: row.bus, unit: String(row.unit), device_uid: row.deviceUid, device: row.device },
              pick(row),
            );
        },
      });
    };
    // The bus monitor keeps running totals; they are exported as gauges because they restart with the bus.
    busGauge('ems_bus_requests', 'Requests sent to this unit since its bus opened', (x) => x.requests);
    busGauge('ems_bus_errors', 'Requests to this unit that failed', (x) => x.errors);
    busGauge('ems_bus_timeouts', 'Requests to this unit that timed out', (x) => x.timeouts);
    busGauge('ems_bus_response_ms_mean', 'Mean response time of this unit, ms', (x) => x.meanMs);
    busGauge('ems_bus_response_ms_max', 'Longest response time of this unit, ms', (x) => x.maxMs);
    new Gauge({
      name: 'ems_bus_queue_length',
      help: 'Requests waiting for the line',
      labelNames: ['bus', 'purpose'],
      registers: [r],
      collect() {
        this.reset();
        for (const b of engine.busList()) this.set({ bus: b.key, purpose: b.purpose }, b.queueLength);
      },
    });
    new Gauge({
      name: 'ems_scan_active',
      help: 'Discovery scans running now',
      registers: [r],
      collect() {
        this.set(engine.busList().filter((b) => b.purpose === 'scan').length);
      },
    });
    const integrationGauge = (name: string, help: string, pick: (s: IntegrationStatus) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['integration'],
        registers: [r],
        collect() {
          this.reset();
          for (const s of src.integrations()) if (s.enabled) this.set({ integration: s.name }, pick(s));
        },
      });
    };
    integrationGauge('ems_integration_connected', '1 while connected', (s) => (s.connected ? 1 : 0));
    integrationGauge('ems_integration_backlog', 'Messages or lines waiting to go out', (s) => s.backlog);
    integrationGauge('ems_integration_sent', 'Messages or lines sent since start', (s) => s.sent);
    integrationGauge('ems_integration_dropped', 'Messages a full queue dropped', (s) => s.dropped);
    this.state.connected = null;
  }

  /** Counts one answered HTTP request (the route pattern, not the raw URL, keeps the label set small). */
  countRequest(method: string, route: string, status: number): void {
    this.apiRequests.inc({ method, route, status: String(status) });
  }

  async scrape(): Promise<{ body: string; contentType: string }> {
    const body = await this.registry.metrics();
    this.state.sent++;
    return { body, contentType: this.registry.contentType };
  }

  status(): IntegrationStatus {
    return this.state.snapshot(true);
  }

  stop(): Promise<void> {
    this.offStatus();
    this.registry.clear();
    return Promise.resolve();
  }
}

interface BusRow {
  bus: string;
  unit: number;
  deviceUid: string;
  device: string;
  requests: number;
  errors: number;
  timeouts: number;
  meanMs: number;
  maxMs: number;
}

function busRows(engine: Engine): BusRow[] {
  const rows: BusRow[] = [];
  for (const b of engine.busList()) {
    if (b.purpose !== 'poll') continue;
    for (const s of engine.busStats(b.key)) {
      const d: Pick<Device, 'uid' | 'label'> | undefined = s.devices[0];
      rows.push({
        bus: b.key,
        unit: s.unit,
        deviceUid: d ? String(d.uid) : '',
        device: d?.label ?? '',
        requests: s.requests,
        errors: s.errors,
        timeouts: s.timeouts,
        meanMs: s.meanMs,
        maxMs: s.maxMs,
      });
    }
  }
  return rows;
}
