import Fastify, { type FastifyInstance } from 'fastify';
import type { Engine } from '../engine.js';
import { logger } from '../util/log.js';

export interface ApiOptions {
  host: string;
  port: number;
  /** Binding anything but loopback exposes meter data to the network: it must be asked for explicitly. */
  allowRemote?: boolean;
}

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
    // Query strings like devices[<id>]=a,b are parsed by the telemetry routes themselves.
    routerOptions: { maxParamLength: 200 },
  });
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) logger('api').error({ err: err.message }, 'internal error');
    void reply.status(status).send({
      error: {
        code: status === 500 ? 'internal' : err.validation ? 'bad_request' : 'bad_request',
        message: status === 500 ? 'internal error' : err.message,
      },
    });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
  app.get('/ver', async () => ({ api_ver: 1 }));
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
