import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importKnownSamples, login, makeFixture, T0, type Fixture } from './fixture.js';

let f: Fixture;
let auth: Record<string, string>;
beforeAll(async () => {
  f = await makeFixture();
  importKnownSamples(f);
  auth = { authorization: `Bearer ${await login(f.app)}` };
});
afterAll(() => f.close());

const get = async (url: string) => {
  const r = await f.app.inject({ url, headers: auth });
  return { status: r.statusCode, body: r.body };
};

const S = T0 / 1000; // 1735689600, a whole minute
const rec = (uid: number, t: number, p: number, v: number, d: number, max: number, min: number) =>
  JSON.stringify({ uid, t, p, v, d, max, min });
// Hand-computed from importKnownSamples (uids: voltage 3, current 4, energy 5, wiring 6, tariff 7).
const V0 = rec(3, S + 50, S + 60, 232.5, 0, 235, 230); // mean of 230..235, last sample at +50 s
const V2 = rec(3, S + 130, S + 180, 241, 0, 242, 240);
const C0 = rec(4, S + 59, S + 60, 2.5, 0, 2.5, 2.5);
const E0 = rec(5, S + 30, S + 60, 101, 1, 101, 100); // counter: v = last, d = 101 - first 100
const E2 = rec(5, S + 150, S + 180, 103, 2, 103, 103); // d = 103 - 101 (previous period's last)
const W0 = rec(6, S + 5, S + 60, 0, 0, 0, 0);
const W1 = rec(6, S + 65, S + 120, 1, 0, 1, 1);
const T = rec(7, S + 2, S + 60, 1.5, 0, 2, 1);
const rt = (uid: number, si: number, v: number, t: number) =>
  `"${uid}":${JSON.stringify({ uid, si, v, t, r: 0, s: 1 })}`;
const RT = [
  rt(3, 29, 242, T0 + 130_000),
  rt(4, 30, 2.5, T0 + 59_999),
  rt(5, 6, 103, T0 + 150_000),
  rt(6, 83, 1, T0 + 65_000),
  rt(7, 49, 2, T0 + 2_000),
];

describe('EMS Webapi: realtime', () => {
  it('gives the latest value of every signal that has one, ordered by uid and paged', async () => {
    expect((await get('/v1/realtime')).body).toBe(`{"realtime":{${RT.join(',')}}}`);
    expect((await get('/v1/realtime?limit=2&page=2')).body).toBe(
      `{"realtime":{${RT.slice(2, 4).join(',')}}}`,
    );
    expect((await get('/v1/realtime?uids=7,3,8')).body).toBe(`{"realtime":{${RT[0]},${RT[4]}}}`);
    expect((await get('/v1/realtime/4')).body).toBe(`{"realtime":{${RT[1]}}}`);
    // Signal 8 (a string) exists but has no value yet: an empty map, not 404.
    expect((await get('/v1/realtime/8')).body).toBe('{"realtime":{}}');
  });

  it('gives the realtime values of one load and one device', async () => {
    expect((await get('/v1/loads/2/realtime')).body).toBe(`{"realtime":{${RT.join(',')}}}`);
    expect((await get('/v1/devices/9/realtime')).body).toBe('{"realtime":{}}');
  });

  it('answers 404 for unknown signal, load and device uids', async () => {
    for (const url of ['/v1/realtime/1', '/v1/loads/1/realtime', '/v1/devices/2/realtime'])
      expect((await get(url)).status, url).toBe(404);
  });
});

describe('EMS Webapi: history', () => {
  it('gives records by uid, oldest first, paged over the whole answer', async () => {
    const all = `{"history":{"3":[${V0},${V2}],"4":[${C0}],"5":[${E0},${E2}],"6":[${W0},${W1}],"7":[${T}]}}`;
    expect((await get('/v1/history')).body).toBe(all);
    // The flat order is V0 V2 C0 E0 E2 W0 W1 T: page 2 of 3 is E0 E2 W0, a signal split across pages.
    expect((await get('/v1/history?limit=3&page=2')).body).toBe(
      `{"history":{"5":[${E0},${E2}],"6":[${W0}]}}`,
    );
    expect((await get('/v1/history?limit=3&page=3')).body).toBe(`{"history":{"6":[${W1}],"7":[${T}]}}`);
    expect((await get('/v1/history?limit=3&page=4')).body).toBe('{"history":{}}');
    expect((await get('/v1/history?uids=5,3')).body).toBe(
      `{"history":{"3":[${V0},${V2}],"5":[${E0},${E2}]}}`,
    );
  });

  it('selects records whose last sample lies in [start, end) (ms)', async () => {
    const from = T0 + 60_000;
    expect((await get(`/v1/history?start=${from}`)).body).toBe(
      `{"history":{"3":[${V2}],"5":[${E2}],"6":[${W1}]}}`,
    );
    expect((await get(`/v1/history?start=${from}&end=${T0 + 120_000}`)).body).toBe(
      `{"history":{"6":[${W1}]}}`,
    );
    // end is exclusive: the record whose last sample is at exactly end is left out.
    expect((await get(`/v1/history?uids=6&end=${T0 + 65_000}`)).body).toBe(`{"history":{"6":[${W0}]}}`);
    expect((await get(`/v1/history?uids=6&end=${T0 + 65_001}`)).body).toBe(`{"history":{"6":[${W0},${W1}]}}`);
    expect((await get(`/v1/history?start=${T0}&end=${T0}`)).body).toBe('{"history":{}}');
  });

  it('gives one signal as a bare array', async () => {
    expect((await get('/v1/history/3')).body).toBe(`[${V0},${V2}]`);
    expect((await get('/v1/history/3?limit=1&page=2')).body).toBe(`[${V2}]`);
    expect((await get(`/v1/history/3?end=${T0 + 60_000}`)).body).toBe(`[${V0}]`);
    expect((await get('/v1/history/8')).body).toBe('[]');
  });

  it('gives the newest record of each signal', async () => {
    const latest = `{"history":{"3":${V2},"4":${C0},"5":${E2},"6":${W1},"7":${T}}}`;
    expect((await get('/v1/history/latest')).body).toBe(latest);
    expect((await get('/v1/history/latest?uids=4,5&limit=1&page=2')).body).toBe(`{"history":{"5":${E2}}}`);
    expect((await get('/v1/loads/2/history/latest')).body).toBe(latest);
    expect((await get('/v1/devices/1/history/latest')).body).toBe(latest);
    expect((await get('/v1/devices/9/history/latest')).body).toBe('{"history":{}}');
  });

  it('gives the history of one load and one device, with range and paging', async () => {
    expect((await get(`/v1/loads/2/history?start=${T0 + 60_000}&limit=2`)).body).toBe(
      `{"history":{"3":[${V2}],"5":[${E2}]}}`,
    );
    expect((await get('/v1/devices/1/history?limit=2&page=4')).body).toBe(
      `{"history":{"6":[${W1}],"7":[${T}]}}`,
    );
  });

  it('answers 400 for bad ranges and 404 for unknown uids', async () => {
    for (const url of [
      '/v1/history?start=10&end=9',
      '/v1/history?start=-1',
      '/v1/history?end=abc',
      '/v1/history/3?start=1.5',
      '/v1/loads/2/history?start=2&end=1',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(400);
      expect(JSON.parse(r.body).error.code, url).toBe('bad_request');
    }
    for (const url of ['/v1/history/2', '/v1/loads/3/history', '/v1/devices/2/history/latest'])
      expect((await get(url)).status, url).toBe(404);
  });
});
