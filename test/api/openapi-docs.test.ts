import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/peers.js';
import { makeFixture, type Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.close());

interface Op {
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Op>>;
  components: { securitySchemes: Record<string, unknown> };
};

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('OpenAPI document', () => {
  it('is served publicly and describes every endpoint of both APIs from the route schemas', async () => {
    const r = await f.app.inject({ url: '/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as Doc;
    expect(doc.openapi).toBe('3.1.0');
    const expected = [
      'get /ver',
      'post /v1/auth/login',
      'get /v1/sn',
      'get /v1/mac',
      'get /v1/devices',
      'get /v1/devices/{uid}',
      'get /v1/loads',
      'get /v1/loads/{uid}',
      'get /v1/signals',
      'get /v1/signals/{uid}',
      'get /v1/loads/{uid}/signals',
      'get /v1/devices/{uid}/signals',
      'get /v1/devices/{uid}/loads',
      'get /v1/realtime',
      'get /v1/realtime/{uid}',
      'get /v1/loads/{uid}/realtime',
      'get /v1/devices/{uid}/realtime',
      'get /v1/history',
      'get /v1/history/{uid}',
      'get /v1/history/latest',
      'get /v1/loads/{uid}/history',
      'get /v1/loads/{uid}/history/latest',
      'get /v1/devices/{uid}/history',
      'get /v1/devices/{uid}/history/latest',
      'get /v1/stream',
      'get /openapi.json',
      'get /v1/tokens',
      'post /v1/tokens',
      'delete /v1/tokens/{id}',
      'get /metrics',
      'get /v1/integrations',
      'get /api/telemetry/v1/now',
      'post /api/telemetry/v1/timeseries',
      'get /telemetry/v1/now',
      'post /telemetry/v1/timeseries',
    ];
    const have = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(have.sort()).toEqual([...expected].sort());
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'bearerAuth',
      'enapterToken',
      'queryToken',
    ]);

    const history = doc.paths['/v1/history']!.get!;
    const param = (name: string) => history.parameters!.find((p) => p.name === name)!;
    expect(param('limit').schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      default: 1000,
    });
    expect(param('page').schema).toMatchObject({ type: 'integer', minimum: 1, default: 1 });
    expect(param('start').schema).toMatchObject({ type: 'integer' });
    expect(param('uids').schema).toMatchObject({ type: 'string' });
    expect(Object.keys(history.responses).sort()).toEqual(['200', '400', '401']);
    const protocol = doc.paths['/v1/devices']!.get!.parameters!.find((p) => p.name === 'protocol')!;
    expect(JSON.stringify(protocol.schema)).toContain('"meterBus"');
    expect(
      doc.paths['/v1/history/{uid}']!.get!.responses['200']!.content!['application/json']!.schema,
    ).toMatchObject({ type: 'array' });
    const ts = doc.paths['/api/telemetry/v1/timeseries']!.post!;
    expect(ts.security).toEqual([{ enapterToken: [] }]);
    expect(Object.keys(ts.responses['200']!.content!)).toEqual(['text/csv']);
    expect(Object.keys(ts.responses).sort()).toEqual(['200', '400', '403', '413', '422', '429']);
    expect(ts.requestBody!.content['application/json']!.schema).toMatchObject({
      required: ['from', 'to', 'telemetry'],
    });
    expect(doc.paths['/v1/auth/login']!.post!.security).toEqual([]);
  });

  // Chromium is a peer like socat and pymodbus: without it this test fails, it does not skip.
  it('renders as a readable page at /docs (in Chromium: paths, parameters, responses)', async () => {
    requireTool(CHROMIUM, 'chromium');
    const base = await f.app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${base}/docs`);
      await page.locator('#tag-Telemetry').waitFor();
      const text = await page.locator('main').innerText();
      for (const s of [
        '/v1/history/{uid}',
        'POST',
        '/api/telemetry/v1/timeseries',
        'limit',
        'Maximum number of records',
        '422',
        'text/csv',
        'bearerAuth',
      ])
        expect(text).toContain(s);
      expect(await page.locator('.op').count()).toBe(35);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
