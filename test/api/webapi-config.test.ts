import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeFixture, type Fixture } from './fixture.js';

let f: Fixture;
let auth: Record<string, string>;
beforeAll(async () => {
  f = await makeFixture();
  auth = { authorization: `Bearer ${await login(f.app)}` };
});
afterAll(() => f.close());

const get = async (url: string) => {
  const r = await f.app.inject({ url, headers: auth });
  return { status: r.statusCode, body: r.body, type: r.headers['content-type'] };
};

// uids come from one sequence: main device 1, its load 2, signals 3-8; sub device 9, load 10, signals 11-12.
const MAIN = '{"uid":1,"label":"Main meter","partNumber":"EM24_E1","system":"3P.N"}';
const SUB = '{"uid":9,"label":"Heat pump","partNumber":"SDM630","system":"1P"}';
const MAIN_LOAD =
  '{"uid":2,"label":"Main","enable":true,"index":1,"type":0,"did":1,"tcp":{"main":false,"system":0,"configReadAt":null,"ct":null,"digitalInputMode":null,"measureType":null,"host":"127.0.0.1","port":5020,"unit":1,"model":"cg-em24-rs485"}}';
const SUB_LOAD =
  '{"uid":10,"label":"Compressor","enable":false,"index":1,"type":0,"did":9,"rtu":{"main":false,"system":3,"configReadAt":null,"port":"/dev/ttyUSB0","baud":9600,"parity":"none","stopBits":1,"unit":2,"model":"eastron-sdm630"}}';
const signal = (uid: number, si: number, lid: number, did: number, enable = true) =>
  `"${uid}":{"uid":${uid},"si":${si},"sir":${si},"enable":${enable},"lid":${lid},"did":${did}}`;
const MAIN_SIGNALS = [
  signal(3, 29, 2, 1),
  signal(4, 30, 2, 1),
  signal(5, 6, 2, 1),
  signal(6, 83, 2, 1),
  signal(7, 49, 2, 1),
  signal(8, 76, 2, 1),
];
const SUB_SIGNALS = [signal(11, 11, 10, 9), signal(12, 1, 10, 9, false)];

describe('EMS Webapi: system', () => {
  it('answers /ver publicly and /v1/sn, /v1/mac with a token', async () => {
    expect((await f.app.inject({ url: '/ver' })).body).toBe('{"api_ver":1}');
    const sn = await get('/v1/sn');
    expect(sn.body).toBe(JSON.stringify({ sn: f.engine.store.meta.serialNumber() }));
    const mac = JSON.parse((await get('/v1/mac')).body) as { mac: string };
    expect(mac.mac).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    expect(JSON.parse((await get('/v1/mac')).body)).toEqual(mac);
  });
});

describe('EMS Webapi: devices, loads, signals (byte-exact, shapes of the seed)', () => {
  it('lists devices keyed by uid, filtered by uids and protocol', async () => {
    expect((await get('/v1/devices')).body).toBe(`{"devices":{"1":${MAIN},"9":${SUB}}}`);
    expect((await get('/v1/devices?uids=9,1,59')).body).toBe(`{"devices":{"1":${MAIN},"9":${SUB}}}`);
    expect((await get('/v1/devices?protocol=rtu')).body).toBe(`{"devices":{"9":${SUB}}}`);
    expect((await get('/v1/devices?protocol=meterBus')).body).toBe('{"devices":{}}');
    expect((await get('/v1/devices/1')).body).toBe(`{"devices":{"1":${MAIN}}}`);
  });

  it('lists loads with their protocol settings under the protocol key', async () => {
    expect((await get('/v1/loads')).body).toBe(`{"loads":{"2":${MAIN_LOAD},"10":${SUB_LOAD}}}`);
    expect((await get('/v1/loads?protocol=tcp')).body).toBe(`{"loads":{"2":${MAIN_LOAD}}}`);
    expect((await get('/v1/loads?uids=10')).body).toBe(`{"loads":{"10":${SUB_LOAD}}}`);
    expect((await get('/v1/loads/10')).body).toBe(`{"loads":{"10":${SUB_LOAD}}}`);
  });

  it('lists signals ordered by uid, paged with limit and 1-based page', async () => {
    expect((await get('/v1/signals')).body).toBe(
      `{"signals":{${[...MAIN_SIGNALS, ...SUB_SIGNALS].join(',')}}}`,
    );
    expect((await get('/v1/signals?limit=3&page=2')).body).toBe(
      `{"signals":{${MAIN_SIGNALS.slice(3).join(',')}}}`,
    );
    expect((await get('/v1/signals?limit=3&page=3')).body).toBe(`{"signals":{${SUB_SIGNALS.join(',')}}}`);
    expect((await get('/v1/signals?limit=3&page=4')).body).toBe('{"signals":{}}');
    expect((await get('/v1/signals?uids=12,3&limit=1&page=2')).body).toBe(`{"signals":{${SUB_SIGNALS[1]}}}`);
    expect((await get('/v1/signals/4')).body).toBe(`{"signals":{${MAIN_SIGNALS[1]}}}`);
  });

  it('lists the signals of one load and of one device', async () => {
    expect((await get('/v1/loads/10/signals')).body).toBe(`{"signals":{${SUB_SIGNALS.join(',')}}}`);
    expect((await get('/v1/devices/1/signals')).body).toBe(`{"signals":{${MAIN_SIGNALS.join(',')}}}`);
  });

  it('lists the loads of one device (the seed: load 2 with did 1 for uid 1)', async () => {
    expect((await get('/v1/devices/1/loads')).body).toBe(`{"loads":{"2":${MAIN_LOAD}}}`);
    expect((await get('/v1/devices/9/loads')).body).toBe(`{"loads":{"10":${SUB_LOAD}}}`);
    expect((await get('/v1/devices/2/loads')).status).toBe(404);
  });

  it('answers 404 with the error body for unknown uids, and for a uid of the wrong kind', async () => {
    for (const url of [
      '/v1/devices/2',
      '/v1/loads/1',
      '/v1/signals/2',
      '/v1/loads/3/signals',
      '/v1/devices/999/signals',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(JSON.parse(r.body), url).toEqual({
        error: {
          code: 'not_found',
          message: expect.stringMatching(/^no (device|load|signal) with uid \d+$/),
        },
      });
    }
  });

  it('answers 400 for bad uids, protocol, limit and page', async () => {
    const cases: [string, RegExp][] = [
      ['/v1/devices/abc', /path parameter uid: expected integer/],
      ['/v1/devices/1.5', /path parameter uid/],
      ['/v1/devices/0x10', /path parameter uid/],
      ['/v1/devices/0', /path parameter uid/],
      ['/v1/devices/-3', /path parameter uid/],
      ['/v1/devices/99999999999999999999', /path parameter uid/],
      ['/v1/devices?uids=1,a', /query parameter uids: must match/],
      ['/v1/devices?uids=', /query parameter uids/],
      ['/v1/devices?uids=1,,2', /query parameter uids/],
      [
        '/v1/loads?protocol=modbus',
        /query parameter protocol: must be one of rtu, tcp, meterBus, virtual, P1/,
      ],
      ['/v1/signals?limit=0', /query parameter limit/],
      ['/v1/signals?limit=10001', /query parameter limit/],
      ['/v1/signals?limit=%201', /query parameter limit/],
      ['/v1/signals?limit=1e3', /query parameter limit/],
      ['/v1/signals?page=0', /query parameter page/],
      ['/v1/signals?page=-1', /query parameter page/],
      ['/v1/signals?page=two', /query parameter page/],
      ['/v1/signals?limit=5&limit=6', /query parameter limit: given more than once/],
    ];
    for (const [url, message] of cases) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      const body = JSON.parse(r.body) as { error: { code: string; message: string } };
      expect(body.error.code, url).toBe('bad_request');
      expect(body.error.message, url).toMatch(message);
      expect(r.type).toBe('application/json; charset=utf-8');
    }
  });

  it('answers unknown paths with 404 in the same shape', async () => {
    const r = await get('/v1/nothing');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'not_found', message: 'no route GET /v1/nothing' } });
  });
});
