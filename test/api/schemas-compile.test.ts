import { Kind, Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import Fastify, { type RouteOptions } from 'fastify';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAZY_SCHEMAS } from '../../src-main/api/lazy-schemas.js';
import { ROUTES } from '../../src-main/api/routes.js';
import { buildApi } from '../../src-main/api/server.js';
import { bridgeRoutes } from '../../src-main/bridge/routes.js';
import { makeFixture, type Fixture } from './fixture.js';

// What Fastify compiles with when it is not told otherwise (api/lazy-schemas.ts loads the same).
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
type Compile = (route: Record<string, unknown>) => unknown;
const ajv = (fromFastify('@fastify/ajv-compiler') as () => (s: unknown, o: unknown) => Compile)()(
  {},
  { customOptions: {}, plugins: [] },
);
const serializer = (
  fromFastify('@fastify/fast-json-stringify-compiler') as () => (s: unknown, o: unknown) => Compile
)()({}, {});

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.close());

describe('route schemas (compiled on first use while serving)', () => {
  it('every route schema of the APIs and the bridge compiles', async () => {
    const routes: RouteOptions[] = [];
    const app = await buildApi(f.engine, [
      (a) => void a.addHook('onRoute', (r) => void routes.push(r)),
      ...ROUTES,
      bridgeRoutes(() => undefined),
    ]);
    await app.ready();
    await app.close();
    let compiled = 0;
    for (const r of routes) {
      const at = `${String(r.method)} ${r.url}`;
      const schema = (r.schema ?? {}) as Record<string, unknown>;
      for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
        const s = schema[part] as TSchema | undefined;
        if (s === undefined) continue;
        // Scoped routes validate with TypeBox (api/validation.ts), the others with Ajv.
        expect(
          () => (Kind in s ? TypeCompiler.Compile(s) : ajv({ schema: s, httpPart: part })),
          at,
        ).not.toThrow();
        compiled++;
      }
      const responses = (schema.response ?? {}) as Record<
        string,
        { content?: Record<string, { schema: unknown }> }
      >;
      for (const [status, s] of Object.entries(responses)) {
        const bodies = s.content ? Object.values(s.content).map((c) => c.schema) : [s];
        for (const body of bodies) {
          expect(
            () => serializer({ schema: body, httpStatus: status, url: r.url }),
            `${at} ${status}`,
          ).not.toThrow();
          compiled++;
        }
      }
    }
    expect(routes.length).toBeGreaterThan(40);
    expect(compiled).toBeGreaterThan(100);
  });

  it('a route compiles its schemas on its first request: answers, 400s and a broken schema', async () => {
    const app = Fastify({ schemaController: LAZY_SCHEMAS });
    app.post(
      '/echo',
      {
        schema: {
          body: Type.Object({ n: Type.Integer({ minimum: 1 }) }),
          response: { 200: Type.Object({ n: Type.Integer() }) },
        },
      },
      // The extra field is left out by the response schema, as with Fastify's own compilers.
      async (req) => ({ ...(req.body as { n: number }), secret: 'x' }),
    );
    // Fastify's compilers would refuse this at start; here the route's first request fails instead.
    app.get(
      '/broken',
      { schema: { response: { 200: { type: 'object', properties: { a: { $ref: '#/nowhere' } } } } } },
      async () => ({ a: 1 }),
    );
    await app.ready();
    const ok = await app.inject({ method: 'POST', url: '/echo', payload: { n: 2 } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { n: 2 }]);
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toBe('body/n must be >= 1');
    const again = await app.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
    expect(again.json<{ message: string }>().message).toBe('body/n must be integer');
    expect((await app.inject({ url: '/broken' })).statusCode).toBe(500);
    await app.close();
  });
});
