import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DOCS_HTML, DOCS_JS } from './page.js';
import { JSON_TYPE } from '../media-types.js';

/** Collects every route's schema from here on; call before any route is added. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    // Routes without a tag (the browser UI's files, its WebSocket bridge) are not part of the APIs.
    hideUntagged: true,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'EMS Commissioner local APIs',
        version,
        description:
          'EMS Webapi (configuration devices → loads → signals, realtime and history) and an ' +
          'Enapter-gateway compatible Telemetry API. Webapi: `Authorization: Bearer <JWT>` from ' +
          '`POST /v1/auth/login` (expires after 30 minutes). Telemetry API: `X-Enapter-Auth-Token` with an ' +
          'API token or the same JWT. Public: /ver, /v1/auth/login, /openapi.json, /docs.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          enapterToken: { type: 'apiKey', in: 'header', name: 'X-Enapter-Auth-Token' },
          queryToken: { type: 'apiKey', in: 'query', name: 'token' },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'System', description: 'Version, serial number, MAC' },
        { name: 'Auth', description: 'Log in for a 30-minute JWT' },
        {
          name: 'Configuration',
          description:
            "Devices → loads → signals. A load of an electricity meter carries the seed's meter settings " +
            'in its protocol object (rtu, tcp, P1) beside the connection: `main` (boolean, the site’s one ' +
            'main/grid meter, set by the technician), `system` (integer wiring code: 0 = 3P.N 3-phase 4-wire, ' +
            '1 = 3P 3-phase 3-wire, 2 = 2P 2-phase, 3 = 1P single-phase; from the last configuration read, ' +
            'else the configured wiring), `configReadAt` (extra: ISO time of the last configuration read, ' +
            'null if never read) and, where the model has the setting, `ct`, `currentDirections`, ' +
            '`digitalInputMode`, `digitalOutputMode`, `digitalOutputModeNcNo`, `measureType`, ' +
            '`startUpCurrentRH` from that read (null when never read or not readable).',
        },
        { name: 'Realtime', description: 'Latest values and the live stream' },
        { name: 'History', description: '60-s history records' },
        { name: 'Tokens', description: 'API tokens for the Telemetry API (admin)' },
        { name: 'Telemetry', description: 'Enapter-gateway compatible Telemetry API' },
      ],
    },
  });
}

/** The OpenAPI document and a page that renders it. */
export function docsRoutes(app: FastifyInstance): void {
  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['System'],
        summary: 'This OpenAPI document',
        security: [],
        response: {
          200: Type.Object({}, { additionalProperties: true, description: 'OpenAPI 3.1 document' }),
        },
      },
    },
    async (_req, reply) => reply.type(JSON_TYPE).send(JSON.stringify(app.swagger())),
  );
  app.get('/docs', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'",
      )
      .send(DOCS_HTML),
  );
  app.get('/docs/docs.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(DOCS_JS),
  );
}
