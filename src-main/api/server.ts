import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Engine } from '../engine.js';
import { docsRoutes, registerOpenApi } from './docs/openapi.js';
import { frameworkErrors, installErrorHandling } from './errors.js';
import { LAZY_SCHEMAS } from './lazy-schemas.js';

export interface ApiOptions {
  host: string;
  port: number;
  /** Binding anything but loopback exposes meter data to the network: it must be asked for explicitly. */
  allowRemote?: boolean;
}

/** Version of the API contract (the EMS Webapi seed is 1.0.0; `/ver` answers its major). */
export const API_VERSION = '1.0.0';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function assertBindAllowed(o: ApiOptions): void {
  if (!LOOPBACK.has(o.host) && !o.allowRemote)
    throw new Error(
      `refusing to listen on ${o.host}: only loopback by default (pass --allow-remote to expose the API)`,
    );
}

export type RouteModule = (app: FastifyInstance, engine: Engine) => void | Promise<void>;

/** Builds the HTTP server with every route module; listening is the caller's choice (tests use inject). */
export async function buildApi(engine: Engine, modules: readonly RouteModule[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // A client that never finishes sending its request is cut off instead of holding a socket.
    requestTimeout: 30_000,
    frameworkErrors,
    // Query strings like devices[<id>]=a,b are parsed by the telemetry routes themselves.
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    schemaController: LAZY_SCHEMAS,
  });
  installErrorHandling(app);
  await registerOpenApi(app, API_VERSION);
  app.get(
    '/ver',
    {
      schema: {
        tags: ['System'],
        summary: 'API version',
        security: [],
        response: { 200: Type.Object({ api_ver: Type.Integer({ examples: [1] }) }) },
      },
      // The answer is a constant of exactly that shape: no schema serializer to build for it.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async () => ({ api_ver: 1 }),
  );
  docsRoutes(app);
  for (const m of modules) await m(app, engine);
  return app;
}

export async function listen(app: FastifyInstance, o: ApiOptions): Promise<string> {
  assertBindAllowed(o);
  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return `http://${host}:${port}`;
}
