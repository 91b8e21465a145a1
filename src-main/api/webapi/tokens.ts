import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import { TokenError } from '../../store/tokens-repo.js';
import { ApiError, notFound } from '../errors.js';
import { adminOnly, bearerGuard, principalOf } from '../guards.js';
import { webapiResponses as ok } from '../schemas/common.js';
import { scoped } from '../scope.js';

const TokenInfo = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdBy: Type.String(),
  created: Type.Integer({ description: 'Unix ms' }),
  revoked: Type.Boolean(),
});
const CreateBody = Type.Object({ label: Type.String({ minLength: 1, maxLength: 100 }) });
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'Token id' }) });

const DESCRIPTION =
  'Long-lived tokens for the Telemetry API (`X-Enapter-Auth-Token`). Only admin accounts manage them; ' +
  'the secret is returned once at creation and stored only as a SHA-256 hash.';

/** Admin-only management of API tokens (the settings page uses these; the CLI has `tokens`). */
export async function tokenRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const tokens = engine.store.tokens;
  const guard = bearerGuard(engine.store);
  await scoped(app, guard, (s) => {
    s.addHook('onRequest', adminOnly);
    s.get(
      '/v1/tokens',
      {
        schema: {
          tags: ['Tokens'],
          summary: 'List API tokens',
          description: DESCRIPTION,
          response: ok(Type.Object({ tokens: Type.Array(TokenInfo) }), [401, 403]),
        },
      },
      async () => ({ tokens: tokens.list() }),
    );
    s.post<{ Body: Static<typeof CreateBody> }>(
      '/v1/tokens',
      {
        schema: {
          tags: ['Tokens'],
          summary: 'Create an API token (the secret is shown only in this response)',
          description: DESCRIPTION,
          body: CreateBody,
          response: ok(Type.Composite([TokenInfo, Type.Object({ token: Type.String() })]), [400, 401, 403]),
        },
      },
      async (req) => {
        try {
          const { token, info } = tokens.create(req.body.label, principalOf(req).username);
          return { ...info, token };
        } catch (e) {
          if (e instanceof TokenError) throw new ApiError(400, e.reason, e.message);
          throw e;
        }
      },
    );
    s.delete<{ Params: Static<typeof IdParams> }>(
      '/v1/tokens/:id',
      {
        schema: {
          tags: ['Tokens'],
          summary: 'Revoke an API token',
          params: IdParams,
          response: ok(TokenInfo, [400, 401, 403, 404]),
        },
      },
      async (req) => {
        if (!tokens.revoke(req.params.id)) throw notFound('token', req.params.id);
        const info = tokens.list().find((t) => t.id === req.params.id);
        return info ?? Promise.reject(notFound('token', req.params.id));
      },
    );
  });
}
