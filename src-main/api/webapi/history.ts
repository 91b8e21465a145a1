import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import { bearerGuard } from '../guards.js';
import {
  PagedQuery,
  PagedRangeQuery,
  RangeQuery,
  UidParams,
  webapiResponses as ok,
} from '../schemas/common.js';
import { HistoryArray, HistoryBody, HistoryLatestBody } from '../schemas/webapi.js';
import { scoped } from '../scope.js';
import { lookup } from './lookup.js';
import { pageSpec, signalSet, timeRange } from './params.js';
import { historyArrayJson, historyByUidJson } from './history-json.js';
import { byUid } from './shapes.js';
import { JSON_TYPE } from '../media-types.js';

const RANGE_NOTE =
  'One record per signal per 60-s period. A record is in range when the time of its last sample ' +
  '(`t`, s) lies in [start, end) (ms). `limit`/`page` apply to the whole response, ordered by uid ' +
  'and by time inside a signal.';

/** Stored 60-s history records. */
export async function historyRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const { historyQueries: q, config } = engine.store;
  const find = lookup(config);
  const ALL = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
  type UidReq = { Params: Static<typeof UidParams> };

  await scoped(app, bearerGuard(engine.store), (s) => {
    s.get<{ Querystring: Static<typeof PagedRangeQuery> }>(
      '/v1/history',
      {
        schema: {
          tags: ['History'],
          summary: 'History of signals',
          description: RANGE_NOTE,
          querystring: PagedRangeQuery,
          response: ok(HistoryBody),
        },
      },
      async (req, reply) => {
        const { startMs, endMs } = timeRange(req.query);
        const rows = q.rangeRows(signalSet(req.query.uids), startMs, endMs, pageSpec(req.query));
        return reply.type(JSON_TYPE).send(historyByUidJson(rows));
      },
    );
    s.get<{ Querystring: Static<typeof PagedQuery> }>(
      '/v1/history/latest',
      {
        schema: {
          tags: ['History'],
          summary: 'Newest history record of each signal',
          querystring: PagedQuery,
          response: ok(HistoryLatestBody),
        },
      },
      async (req) => ({ history: byUid(q.latest(signalSet(req.query.uids), pageSpec(req.query))) }),
    );
    s.get<UidReq & { Querystring: Static<typeof RangeQuery> }>(
      '/v1/history/:uid',
      {
        schema: {
          tags: ['History'],
          summary: 'History of one signal, as a bare array',
          description: RANGE_NOTE,
          params: UidParams,
          querystring: RangeQuery,
          response: ok(HistoryArray, [400, 401, 404]),
        },
      },
      async (req, reply) => {
        const uid = find.signal(req.params.uid).uid;
        const { startMs, endMs } = timeRange(req.query);
        return reply
          .type(JSON_TYPE)
          .send(historyArrayJson(q.rangeRows([uid], startMs, endMs, pageSpec(req.query))));
      },
    );
    for (const kind of ['load', 'device'] as const) {
      s.get<UidReq & { Querystring: Static<typeof RangeQuery> }>(
        `/v1/${kind}s/:uid/history`,
        {
          schema: {
            tags: ['History'],
            summary: `History of every signal of one ${kind}`,
            description: RANGE_NOTE,
            params: UidParams,
            querystring: RangeQuery,
            response: ok(HistoryBody, [400, 401, 404]),
          },
        },
        async (req, reply) => {
          const uids = find.signalsOf(kind, req.params.uid);
          const { startMs, endMs } = timeRange(req.query);
          return reply
            .type(JSON_TYPE)
            .send(historyByUidJson(q.rangeRows(uids, startMs, endMs, pageSpec(req.query))));
        },
      );
      s.get<UidReq>(
        `/v1/${kind}s/:uid/history/latest`,
        {
          schema: {
            tags: ['History'],
            summary: `Newest history record of every signal of one ${kind}`,
            params: UidParams,
            response: ok(HistoryLatestBody, [400, 401, 404]),
          },
        },
        async (req) => ({ history: byUid(q.latest(find.signalsOf(kind, req.params.uid), ALL)) }),
      );
    }
  });
}
