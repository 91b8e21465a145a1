import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine.js';
import type { PrometheusExporter } from '../../integrations/prometheus/exporter.js';
import { redactSettings } from '../../integrations/settings.js';
import { looksLikeApiToken } from '../../store/tokens-repo.js';
import { verifyToken } from '../auth.js';
import { ApiError } from '../errors.js';
import { adminOnly, bearerGuard } from '../guards.js';
import { webapiResponses as ok } from '../schemas/common.js';
import { scoped } from '../scope.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const Status = Type.Object({
  name: Type.String(),
  enabled: Type.Boolean(),
  connected: Type.Union([Type.Boolean(), Type.Null()]),
  target: Type.Union([Type.String(), Type.Null()]),
  backlog: Type.Integer(),
  dropped: Type.Integer(),
  sent: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([Type.Integer(), Type.Null()]),
  units: Type.Optional(
    Type.Array(
      Type.Object({
        unit: Type.Integer(),
        deviceUid: Type.Integer(),
        label: Type.String(),
        model: Type.String(),
        busUnit: Type.Integer(),
        writable: Type.Boolean(),
      }),
    ),
  ),
});

/**
 * A scrape presents an API token or a JWT as `Authorization: Bearer …` (Prometheus' `authorization`
 * block), like the rest of the API; a setting lets scrapes from loopback in without one.
 */
async function metricsAllowed(engine: Engine, req: FastifyRequest): Promise<void> {
  const open = engine.integrations.current().prometheus.openOnLoopback;
  if (open && LOOPBACK.has(req.socket.remoteAddress ?? '')) return;
  const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(req.headers.authorization ?? '');
  const token = m?.[1];
  const unauthorized = new ApiError(
    401,
    'unauthorized',
    'metrics need Authorization: Bearer <API token>',
    undefined,
    {
      'www-authenticate': 'Bearer realm="ems-metrics"',
    },
  );
  if (!token) throw unauthorized;
  if (looksLikeApiToken(token)) {
    if (engine.store.tokens.verify(token)) return;
    throw unauthorized;
  }
  if (!(await verifyToken(engine.store, token)).ok) throw unauthorized;
}

/** `/metrics` for Prometheus and `GET /v1/integrations` (admin): the one place integrations meet HTTP. */
export async function integrationRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  // Registered before the other route modules, so every answered request is counted.
  app.addHook('onResponse', async (req, reply) => {
    engine.integrations
      .get<PrometheusExporter>('prometheus')
      ?.countRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  await scoped(app, undefined, (s) => {
    s.get(
      '/metrics',
      {
        schema: {
          tags: ['Integrations'],
          summary: 'Prometheus metrics (text exposition format)',
          description:
            "Each signal's latest value (`ems_signal_value`) and the engine's health: poll cycles and " +
            'failures, bus requests, errors, timeouts and response times per device, scans, API requests. ' +
            'Off until Prometheus is enabled in the settings or with `serve --metrics`. Send an API token ' +
            'as `Authorization: Bearer …`; a setting opens the endpoint to loopback without one.',
        },
      },
      async (req, reply) => {
        // Auth first: an anonymous client learns nothing, not even whether metrics are switched on.
        await metricsAllowed(engine, req);
        const exporter = engine.integrations.get<PrometheusExporter>('prometheus');
        if (!exporter) throw new ApiError(404, 'not_found', 'Prometheus metrics are switched off');
        const { body, contentType } = await exporter.scrape();
        return reply.type(contentType).send(body);
      },
    );
  });
  await scoped(app, bearerGuard(engine.store), (s) => {
    s.addHook('onRequest', adminOnly);
    s.get(
      '/v1/integrations',
      {
        schema: {
          tags: ['Integrations'],
          summary: 'State of MQTT, InfluxDB, Prometheus and the Modbus gateway (admin)',
          response: ok(
            Type.Object({
              integrations: Type.Array(Status),
              settings: Type.Record(Type.String(), Type.Unknown(), {
                description: 'The settings in force (passwords and tokens shown as ********)',
              }),
            }),
            [401, 403],
          ),
        },
      },
      async () => ({
        integrations: engine.integrations.status(),
        settings: redactSettings(engine.integrations.current()),
      }),
    );
  });
}
