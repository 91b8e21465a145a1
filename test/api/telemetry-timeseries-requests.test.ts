import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpers, S, timeseriesFixture, type TimeseriesCtx } from './timeseries-helpers.js';

let ctx: TimeseriesCtx;
beforeAll(async () => {
  ctx = await timeseriesFixture();
});
afterAll(() => ctx.f.close());
const { post, items, col, csv } = helpers(() => ctx);

describe('request handling', () => {
  const minimal = () => ({
    from: S,
    to: S + 20,
    aggregation: 'avg',
    granularity: '10s',
    telemetry: items({ attribute: 'voltage' }),
  });
  const expected = () =>
    csv(
      [col('voltage', 'avg', '10s')],
      [
        [S, 230],
        [S + 10, 231],
      ],
    );

  it('parses the body as JSON without a Content-Type, with a form Content-Type (curl -d) and without /api', async () => {
    const noType = await ctx.f.app.inject({
      method: 'POST',
      url: '/telemetry/v1/timeseries',
      payload: Buffer.from(JSON.stringify(minimal())),
      headers: { 'x-enapter-auth-token': ctx.token },
    });
    expect(noType.headers['content-type']).toBe('text/csv');
    expect(noType.body).toBe(expected());
    const form = await post(minimal(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.body).toBe(expected());
  });

  it('sends one X-Enapter-Timeseries-Data-Types header line per column over real HTTP', async () => {
    const url = new URL(await ctx.f.app.listen({ host: '127.0.0.1', port: 0 }));
    const body = JSON.stringify({
      ...minimal(),
      telemetry: items({ attribute: 'voltage' }, { attribute: 'wiring_error', aggregation: 'last' }),
    });
    const raw = await new Promise<{ headers: string[]; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/api/telemetry/v1/timeseries',
          method: 'POST',
          headers: { 'x-enapter-auth-token': ctx.token },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ headers: res.rawHeaders, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const pairs = raw.headers.flatMap((v, i) => (i % 2 === 0 ? [[v.toLowerCase(), raw.headers[i + 1]]] : []));
    expect(pairs.filter(([k]) => k === 'x-enapter-timeseries-data-types').map(([, v]) => v)).toEqual([
      'float',
      'boolean',
    ]);
    expect(pairs.find(([k]) => k === 'content-type')?.[1]).toBe('text/csv');
    expect(raw.text.split('\n')).toHaveLength(4); // header, 2 rows, and the final newline
  });

  it('answers 400 with the Enapter error body for bad input', async () => {
    const base = minimal();
    const cases: [unknown, string][] = [
      ['{"from": 1,', 'invalid_json'],
      ['', 'bad_request'],
      ['[]', 'bad_request'],
      [{ ...base, from: undefined }, 'bad_request'],
      [{ ...base, from: 'yesterday' }, 'invalid_time'],
      [{ ...base, from: '2025-02-30T00:00:00Z' }, 'invalid_time'],
      [{ ...base, to: '2025-01-01T00:00:00.0000000001Z' }, 'invalid_time'],
      [{ ...base, from: true }, 'bad_request'],
      [{ ...base, from: S + 20, to: S }, 'invalid_time_range'],
      [{ ...base, to: S }, 'invalid_time_range'],
      [{ ...base, granularity: '10' }, 'invalid_duration'],
      [{ ...base, granularity: '1x' }, 'invalid_duration'],
      [{ ...base, granularity: '' }, 'bad_request'],
      [{ ...base, granularity: '0s' }, 'invalid_granularity'],
      [{ ...base, granularity: '-10s' }, 'invalid_granularity'],
      [{ ...base, granularity: 10 }, 'bad_request'],
      [{ ...base, aggregation: 'median' }, 'bad_request'],
      [{ ...base, aggregation: undefined }, 'missing_aggregation'],
      [{ ...base, granularity: undefined }, 'missing_granularity'],
      [{ ...base, gap_filling: { method: 'linear' } }, 'bad_request'],
      [{ ...base, gap_filling: { method: 'locf', look_around: 'ever' } }, 'invalid_duration'],
      [{ ...base, gap_filling: { method: 'locf', look_around: '-1s' } }, 'invalid_duration'],
      [{ ...base, telemetry: [] }, 'bad_request'],
      [
        { ...base, telemetry: items(...Array.from({ length: 11 }, () => ({ attribute: 'voltage' }))) },
        'bad_request',
      ],
      [{ ...base, telemetry: [{ attribute: 'voltage' }] }, 'bad_request'],
      [{ ...base, telemetry: items({ attribute: 'wiring_error' }) }, 'unsupported_aggregation'],
      [
        { ...base, telemetry: items({ attribute: 'text_message', aggregation: 'max' }) },
        'unsupported_aggregation',
      ],
      [{ ...base, from: S, to: S + 600 * 86400, granularity: '1s' }, 'too_many_rows'],
    ];
    for (const [body, code] of cases) {
      const r = await post(body);
      const label = typeof body === 'string' ? body : JSON.stringify(body).slice(0, 160);
      expect(r.statusCode, label).toBe(400);
      expect(r.headers['content-type'], label).toBe('application/json; charset=utf-8');
      const json = r.json() as { errors: { code: string; message: string }[] };
      expect(json.errors[0]?.code, label).toBe(code);
      expect(json.errors[0]?.message.length, label).toBeGreaterThan(5);
    }
  });

  it('answers 422 unprocessable_entity listing every unknown device and attribute', async () => {
    const r = await post({
      ...minimal(),
      telemetry: [
        { device: 'health-check', attribute: 'voltage' },
        { device: ctx.uuid, attribute: 'voltage' },
        { device: ctx.uuid, attribute: 'no_such_thing' },
      ],
    });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toEqual({
      errors: [
        {
          code: 'unprocessable_entity',
          message: 'unknown device health-check',
          details: { index: 0, device: 'health-check', attribute: 'voltage', reason: 'unknown_device' },
        },
        {
          code: 'unprocessable_entity',
          message: `device ${ctx.uuid} has no attribute "no_such_thing"`,
          details: { index: 2, device: ctx.uuid, attribute: 'no_such_thing', reason: 'unknown_attribute' },
        },
      ],
    });
  });

  it('accepts exactly the cell cap and refuses one bucket more', async () => {
    // Answers are streamed; the cap only stops absurd sizes: 50 000 000 buckets × 1 column.
    const ok = await post({ ...minimal(), from: S, to: S + 50_000_000, granularity: '1s' });
    expect(ok.statusCode).toBe(200);
    const over = await post({ ...minimal(), from: S, to: S + 50_000_001, granularity: '1s' });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0].details).toEqual({ rows: 50_000_001, columns: 1, max_cells: 50_000_000 });
    const tiny = await post({ ...minimal(), from: S, to: S + 1, granularity: '1ns' });
    expect(tiny.statusCode).toBe(400);
    expect(tiny.json().errors[0].code).toBe('too_many_rows');
  });
});
