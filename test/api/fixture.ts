import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../src-main/api/routes.js';
import { buildApi } from '../../src-main/api/server.js';
import { Engine } from '../../src-main/engine.js';
import type { DeviceTree, NewSignal } from '../../src-main/store/config-repo.js';

/** 2025-01-01T00:00:00Z: a whole minute, so the roll-up periods of the test data are easy to name. */
export const T0 = 1_735_689_600_000;
export const PASSWORD = 'correct horse battery';

const sig = (
  key: string,
  si: number,
  kind: 'gauge' | 'counter',
  type: NewSignal['type'],
  unit: string,
): NewSignal => ({
  key,
  si,
  kind,
  type,
  unit,
});

export interface Fixture {
  engine: Engine;
  app: FastifyInstance;
  main: DeviceTree;
  sub: DeviceTree;
  /** Signal uids of the main meter's load by catalogue key. */
  uid: Record<'voltage' | 'current' | 'energy_import' | 'wiring_error' | 'tariff' | 'text_message', number>;
  close(): Promise<void>;
}

/**
 * A store with two devices (tcp and rtu) and an API on it (not listening: tests use inject).
 * Accounts: `reader` (api) and `boss` (admin), both with PASSWORD.
 */
export async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ems-api-'));
  const engine = new Engine({ dbFile: join(dir, 'ems.db'), poll: false });
  const main = engine.store.config.addDevice({
    label: 'Main meter',
    protocol: 'tcp',
    model: 'cg-em24-rs485',
    partNumber: 'EM24_E1',
    system: '3P.N',
    connection: { host: '127.0.0.1', port: 5020, unit: 1, model: 'cg-em24-rs485' },
    loads: [
      {
        label: 'Main',
        index: 1,
        type: 0,
        settings: { host: '127.0.0.1', port: 5020, unit: 1, model: 'cg-em24-rs485' },
        signals: [
          sig('voltage', 29, 'gauge', 'float', 'V'),
          sig('current', 30, 'gauge', 'float', 'A'),
          sig('energy_import', 6, 'counter', 'float', 'kWh'),
          sig('wiring_error', 83, 'gauge', 'boolean', ''),
          sig('tariff', 49, 'gauge', 'integer', ''),
          sig('text_message', 76, 'gauge', 'string', ''),
        ],
      },
    ],
  });
  const sub = engine.store.config.addDevice({
    label: 'Heat pump',
    protocol: 'rtu',
    model: 'eastron-sdm630',
    partNumber: 'SDM630',
    system: '1P',
    connection: {
      port: '/dev/ttyUSB0',
      baud: 9600,
      parity: 'none',
      stopBits: 1,
      unit: 2,
      model: 'eastron-sdm630',
    },
    loads: [
      {
        label: 'Compressor',
        index: 1,
        type: 0,
        enable: false,
        settings: {
          port: '/dev/ttyUSB0',
          baud: 9600,
          parity: 'none',
          stopBits: 1,
          unit: 2,
          model: 'eastron-sdm630',
        },
        signals: [
          sig('voltage_l1', 11, 'gauge', 'float', 'V'),
          { ...sig('active_power', 1, 'gauge', 'float', 'W'), enable: false },
        ],
      },
    ],
  });
  const signals = main.loads[0]!.signals;
  const uid = Object.fromEntries(signals.map((s) => [s.key, s.uid])) as Fixture['uid'];
  engine.store.users.add('reader', PASSWORD, 'api');
  engine.store.users.add('boss', PASSWORD, 'admin');
  const app = await buildApi(engine, ROUTES);
  return {
    engine,
    app,
    main,
    sub,
    uid,
    async close() {
      await app.close();
      await engine.close();
    },
  };
}

/** Samples with hand-computable aggregates; see each line. */
export function importKnownSamples(f: Fixture): void {
  const { voltage, energy_import, wiring_error, tariff, current } = f.uid;
  const rows: { uid: number; t: number; v: number }[] = [];
  // Voltage: minute 0 → 230..235 every 10 s (mean 232.5); minute 1 empty; minute 2 → 240, 242 (mean 241).
  [230, 231, 232, 233, 234, 235].forEach((v, i) => rows.push({ uid: voltage, t: T0 + i * 10_000, v }));
  rows.push({ uid: voltage, t: T0 + 120_000, v: 240 }, { uid: voltage, t: T0 + 130_000, v: 242 });
  // Energy counter: minute 0 → 100 then 101 (d 1); minute 2 → 103 (d 2 since minute 0's last).
  rows.push({ uid: energy_import, t: T0, v: 100 }, { uid: energy_import, t: T0 + 30_000, v: 101 });
  rows.push({ uid: energy_import, t: T0 + 150_000, v: 103 });
  // Boolean and integer gauges.
  rows.push({ uid: wiring_error, t: T0 + 5_000, v: 0 }, { uid: wiring_error, t: T0 + 65_000, v: 1 });
  rows.push({ uid: tariff, t: T0 + 1_000, v: 1 }, { uid: tariff, t: T0 + 2_000, v: 2 });
  rows.push({ uid: current, t: T0 + 59_999, v: 2.5 });
  f.engine.store.samples.importSamples(rows);
}

export async function login(app: FastifyInstance, username = 'reader'): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username, password: PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.statusCode} ${r.body}`);
  return (r.json() as { token: string }).token;
}
