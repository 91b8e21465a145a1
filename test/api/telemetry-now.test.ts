import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKnownSamples, login, makeFixture, T0, type Fixture } from './fixture.js';

let f: Fixture;
let token: string;
let uuid: string;
beforeAll(async () => {
  f = await makeFixture();
  importKnownSamples(f);
  token = await login(f.app);
  uuid = f.main.loads[0]!.uuid;
});
afterAll(() => f.close());

const S = T0 / 1000;
const now = (query: string, prefix = '/api/telemetry/v1') =>
  f.app.inject({ url: `${prefix}/now?${query}`, headers: { 'x-enapter-auth-token': token } });

describe('GET /api/telemetry/v1/now', () => {
  it('gives the latest value and its Unix-seconds timestamp per attribute, typed by the catalogue', async () => {
    const r = await now(`devices[${uuid}]=voltage,tariff,wiring_error,text_message`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe(
      `{"devices":{"${uuid}":{"voltage":{"value":242,"timestamp":${S + 130}},"tariff":{"value":2,"timestamp":${S + 2}},` +
        `"wiring_error":{"value":true,"timestamp":${S + 65}}}},"errors":[{"code":"no_value",` +
        `"message":"device ${uuid} attribute \\"text_message\\" has no value yet","details":{"device":"${uuid}","attribute":"text_message"}}]}`,
    );
  });

  it('takes the decimal load uid as device ID, merges repeated parameters and works without the /api prefix', async () => {
    const r = await now(
      'devices[2]=voltage&devices[2]=energy_import,voltage&devices%5B2%5D=current',
      '/telemetry/v1',
    );
    expect(r.json()).toEqual({
      devices: {
        '2': {
          voltage: { value: 242, timestamp: S + 130 },
          energy_import: { value: 103, timestamp: S + 150 },
          current: { value: 2.5, timestamp: S + 59 },
        },
      },
      errors: [],
    });
  });

  it('leaves out unknown devices and attributes and describes them in errors', async () => {
    const r = await now(
      `devices[${uuid}]=voltage,nope&devices[999]=voltage&devices[${uuid.toUpperCase()}]=current&devices[10]=voltage_l1`,
    );
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      devices: {
        [uuid]: { voltage: { value: 242, timestamp: S + 130 } },
        [uuid.toUpperCase()]: { current: { value: 2.5, timestamp: S + 59 } },
        '10': {},
      },
      errors: [
        {
          code: 'attribute_not_found',
          message: `device ${uuid} has no attribute "nope"`,
          details: { device: uuid, attribute: 'nope' },
        },
        { code: 'device_not_found', message: 'unknown device 999', details: { device: '999' } },
        {
          code: 'no_value',
          message: 'device 10 attribute "voltage_l1" has no value yet',
          details: { device: '10', attribute: 'voltage_l1' },
        },
      ],
    });
  });

  it('answers 400 with the Enapter error body for a missing or malformed devices parameter', async () => {
    for (const q of [
      '',
      'foo=bar',
      'devices=voltage',
      'devices[]=voltage',
      `devices[${uuid}]=`,
      `devices[${uuid}]=a,,b`,
      `devices[${uuid}][x]=a`,
      `devices[${uuid}]=a%20b`,
    ]) {
      const r = await now(q);
      expect(r.statusCode, q).toBe(400);
      expect(r.headers['content-type'], q).toBe('application/json; charset=utf-8');
      expect(r.json(), q).toEqual({ errors: [{ code: 'bad_request', message: expect.any(String) }] });
    }
    const many = Array.from({ length: 1001 }, (_, i) => `a${i}`).join(',');
    expect((await now(`devices[2]=${many}`)).statusCode).toBe(400);
  });
});
