import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { importKnownSamples, login, makeFixture, T0, type Fixture } from './fixture.js';

/** Shared by the timeseries tests: a fixture with known samples and CSV builders. */
export const S = T0 / 1000;

export interface TimeseriesCtx {
  f: Fixture;
  token: string;
  uuid: string;
}

export async function timeseriesFixture(): Promise<TimeseriesCtx> {
  const f = await makeFixture();
  importKnownSamples(f);
  return { f, token: await login(f.app), uuid: f.main.loads[0]!.uuid };
}

type Item = { device?: string; attribute: string; [k: string]: unknown };

export function helpers(ctx: () => TimeseriesCtx) {
  const post = (body: unknown, headers: Record<string, string> = {}, prefix = '/api/telemetry/v1') =>
    ctx().f.app.inject({
      method: 'POST',
      url: `${prefix}/timeseries`,
      payload: (typeof body === 'string' ? body : JSON.stringify(body)) as InjectOptions['payload'],
      headers: { 'x-enapter-auth-token': ctx().token, ...headers },
    });
  const items = (...list: Item[]) => list.map((i) => ({ device: ctx().uuid, ...i }));
  const col = (attr: string, agg: string, gran: string, gap = 'none', look = '0s', device = ctx().uuid) =>
    `telemetry=${attr} device=${device} aggregation=${agg} granularity=${gran} gap_filling_method=${gap} gap_filling_look_around=${look}`;
  const csv = (header: string[], rows: (string | number)[][]) =>
    [['ts', ...header].join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
  async function expectCsv(body: unknown, expected: string, types: string[]) {
    const r = await post(body);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv');
    expect(r.body).toBe(expected);
    const t = r.headers['x-enapter-timeseries-data-types'];
    expect(Array.isArray(t) ? t : [t]).toEqual(types);
  }
  return { post, items, col, csv, expectCsv };
}
