import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine.js';
import type { SignalSet } from '../../store/history-queries.js';
import { bearerGuard } from '../guards.js';
import { AnswerMemo } from '../memo.js';
import { PagedQuery, UidParams, webapiResponses as ok } from '../schemas/common.js';
import { RealtimeBody } from '../schemas/webapi.js';
import { scoped } from '../scope.js';
import { lookup } from './lookup.js';
import { pageSpec, signalSet } from './params.js';
import { byUid } from './shapes.js';
import { JSON_TYPE } from '../media-types.js';

const ALL = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
const NOTE = 'Signals without any sample yet are left out.';

/** Latest value of each signal. */
export async function realtimeRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const { historyQueries: q, config } = engine.store;
  const find = lookup(config);
  type UidReq = { Params: Static<typeof UidParams> };
  // Values change at most once per store flush: each distinct request is answered from memory until then.
  // The handlers are synchronous (an error they throw still becomes the error answer): no promise per
  // request on the path that is answered from memory.
  const memo = new AnswerMemo(engine.store.changes);
  const answer = (
    req: FastifyRequest,
    reply: FastifyReply,
    uids: () => SignalSet,
    page = ALL,
  ): FastifyReply =>
    reply
      .type(JSON_TYPE)
      .send(
        memo.get(req.url, () => reply.serialize({ realtime: byUid(q.realtime(uids(), page)) }) as string),
      );

  await scoped(app, bearerGuard(engine.store), (s) => {
    s.get<{ Querystring: Static<typeof PagedQuery> }>(
      '/v1/realtime',
      {
        schema: {
          tags: ['Realtime'],
          summary: 'Latest value of signals, ordered by uid and paged',
          description: NOTE,
          querystring: PagedQuery,
          response: ok(RealtimeBody),
        },
      },
      (req, reply) => {
        answer(req, reply, () => signalSet(req.query.uids), pageSpec(req.query));
      },
    );
    s.get<UidReq>(
      '/v1/realtime/:uid',
      {
        schema: {
          tags: ['Realtime'],
          summary: 'Latest value of one signal',
          description: `Unknown signal: 404. ${NOTE}`,
          params: UidParams,
          response: ok(RealtimeBody, [400, 401, 404]),
        },
      },
      (req, reply) => {
        answer(req, reply, () => [find.signal(req.params.uid).uid]);
      },
    );
    for (const kind of ['load', 'device'] as const)
      s.get<UidReq>(
        `/v1/${kind}s/:uid/realtime`,
        {
          schema: {
            tags: ['Realtime'],
            summary: `Latest value of every signal of one ${kind}`,
            description: NOTE,
            params: UidParams,
            response: ok(RealtimeBody, [400, 401, 404]),
          },
        },
        (req, reply) => {
          answer(req, reply, () => find.signalsOf(kind, req.params.uid));
        },
      );
  });
}
