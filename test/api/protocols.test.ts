import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFromP1 } from '../../src-main/devices/instantiate-p1.js';
import { login, makeFixture, PASSWORD, type Fixture } from './fixture.js';

let f: Fixture;
let auth: Record<string, string>;
let p1Load: string;
let virtualLoad: number;
beforeAll(async () => {
  f = await makeFixture();
  const e = f.engine;
  // A meter-bus meter carrying the meter-side settings the seed shows under `meterBus`.
  e.store.config.addDevice({
    label: 'Heat meter',
    protocol: 'meterBus',
    model: null,
    partNumber: 'EMS-v1',
    system: '1P',
    connection: { port: '/dev/ttyUSB1', baud: 2400, primary: 5 },
    loads: [
      {
        label: 'Heat',
        index: 1,
        settings: {
          main: true,
          system: 0,
          ct: 10,
          currentDirections: 0,
          digitalInputMode: 0,
          digitalOutputMode: 0,
          digitalOutputModeNcNo: 0,
          measureType: 0,
          startUpCurrentRH: 10,
        },
        signals: [
          {
            key: 'heat_energy',
            si: e.catalogue.key('heat_energy').si,
            kind: 'counter',
            type: 'float',
            unit: 'kWh',
          },
        ],
      },
    ],
  });
  p1Load = e.store.config.addDevice(
    deviceFromP1(
      { port: '/dev/ttyUSB2', baud: 115200, parity: 'none', dataBits: 8, dsmr: '5.0' },
      e.catalogue,
    ),
  ).loads[0]!.uuid;
  const voltage = f.uid.voltage;
  virtualLoad = e.addVirtualDevice({
    label: 'Doubled',
    signals: [{ key: 'voltage', formula: `2 * s${voltage}` }],
  }).loads[0]!.uid;
  auth = { authorization: `Bearer ${await login(f.app)}` };
});
afterAll(() => f.close());

describe('meterBus, P1 and virtual devices in the APIs', () => {
  it('each load carries its protocol object under the protocol name, and the protocol filter selects it', async () => {
    const get = async (url: string) =>
      JSON.parse((await f.app.inject({ url, headers: auth })).body) as {
        loads: Record<string, Record<string, unknown>>;
      };
    const mbus = Object.values((await get('/v1/loads?protocol=meterBus')).loads);
    expect(mbus).toHaveLength(1);
    expect(mbus[0]!.meterBus).toEqual({
      main: true,
      system: 0,
      ct: 10,
      currentDirections: 0,
      digitalInputMode: 0,
      digitalOutputMode: 0,
      digitalOutputModeNcNo: 0,
      measureType: 0,
      startUpCurrentRH: 10,
    });
    const p1 = Object.values((await get('/v1/loads?protocol=P1')).loads);
    expect(p1.map((l) => l.label)).toEqual(['Electricity', 'Gas (M-Bus 1)']);
    expect(p1[0]!.P1).toMatchObject({ port: '/dev/ttyUSB2', baud: 115200, dsmr: '5.0' });
    const virt = Object.values((await get('/v1/loads?protocol=virtual')).loads);
    expect(virt.map((l) => l.uid)).toEqual([virtualLoad]);
    expect(virt[0]!.virtual).toMatchObject({ formulas: { voltage: `2 * s${f.uid.voltage}` } });
  });

  it('the Telemetry API knows a P1 load as a device, its attributes by catalogue key', async () => {
    const token = JSON.parse(
      (
        await f.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { username: 'reader', password: PASSWORD },
        })
      ).body,
    ).token as string;
    const r = await f.app.inject({
      url: `/api/telemetry/v1/now?devices[${p1Load}]=energy_import_t1,power_import,nonsense`,
      headers: { 'x-enapter-auth-token': token },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json() as {
      devices: Record<string, Record<string, { value: unknown }>>;
      errors: unknown[];
    };
    // Known attributes without a value yet go to errors (no_value) beside the unknown one.
    expect(body.devices[p1Load]).toEqual({});
    expect(
      (body.errors as { code: string; details: { attribute: string } }[]).map((e) => [
        e.code,
        e.details.attribute,
      ]),
    ).toEqual([
      ['attribute_not_found', 'nonsense'],
      ['no_value', 'energy_import_t1'],
      ['no_value', 'power_import'],
    ]);
  });
});
