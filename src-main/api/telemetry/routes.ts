import { Readable } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import { ApiError } from '../errors.js';
import { telemetryGuard, tokenThrottle } from '../guards.js';
import { errorResponses, TelemetryError } from '../schemas/common.js';
import { MAX_ATTRIBUTES, MAX_CELLS, NowQuery, NowResponse, TimeseriesBody } from '../schemas/telemetry.js';
import { AnswerMemo } from '../memo.js';
import { scoped } from '../scope.js';
import { logger } from '../../util/log.js';
import { rows, type Row } from './compute.js';
import { csvChunks } from './csv.js';
import { answerNow, parseNowQuery } from './now.js';
import { planTimeseries } from './plan.js';
import { JSON_TYPE } from '../media-types.js';

const log = logger('api.telemetry');
const PREFIXES = ['/api/telemetry/v1', '/telemetry/v1'] as const;
const AUTH =
  'Header `X-Enapter-Auth-Token`: an API token (created by an admin) or a JWT from /v1/auth/login. ' +
  'Missing or malformed: 403 `invalid_header`; bad token: 403 `forbidden`; 20 failures from one ' +
  'address within 10 minutes: 429 with Retry-After.';
const ALIAS = ' Also served without the `/api` prefix (older Enapter CLI).';

const TIMESERIES_DOC =
  `Time buckets aligned to multiples of the granularity since the Unix epoch; \`ts\` is the bucket start ` +
  '(Unix s, with a fraction for sub-second buckets); rows cover [from, to) (the first bucket may start ' +
  'before `from`). `granularity` and `look_around` take any positive duration (`500ms`, `1.5s`, `2h45m`, ' +
  '`1d`); buckets finer than the samples are empty or filled by `locf`. Whole-minute granularities are ' +
  'computed from the roll-ups (1 d, 1 h, 60 s: a minute counts when it overlaps [from, to)), finer ones ' +
  'from raw samples (kept 7 days). Roll-ups keep count, sum, min, max and the last value, so every ' +
  'aggregation answers the same from either. `avg` of a string or boolean attribute and `min`/`max` ' +
  'of a string are 400 `unsupported_aggregation`. Without gap filling a row exists where some column ' +
  'has a value; a `locf` column has every bucket. The answer is streamed while it is computed (a ' +
  'client that disconnects stops the work); at most ' +
  `${MAX_ATTRIBUTES} attributes and ${MAX_CELLS} cells (buckets × attributes) per request. The body is ` +
  'parsed as JSON whatever its Content-Type. Answer: `text/csv` (texts quoted when they hold a comma, ' +
  'quote or line break; booleans `true`/`false`; empty cell = no value) and one ' +
  '`X-Enapter-Timeseries-Data-Types` header line per data column.';

/** Parses every timeseries body as JSON: Enapter clients (and curl -d) send no or another Content-Type. */
function jsonWhateverTheType(s: FastifyInstance): void {
  s.removeAllContentTypeParsers();
  s.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(new ApiError(400, 'invalid_json', `body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });
}

/** Enapter-gateway compatible Telemetry API. */
export async function telemetryRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const store = engine.store;
  const guard = telemetryGuard(store, tokenThrottle());
  // Latest values change at most once per store flush: a repeated request is answered from memory.
  const nowMemo = new AnswerMemo(store.changes);
  const errors = (codes: readonly number[]) => errorResponses(TelemetryError, codes);

  for (const prefix of PREFIXES) {
    const alias = prefix === '/telemetry/v1' ? ALIAS : '';
    await scoped(app, guard, (s) => {
      jsonWhateverTheType(s);
      s.get(
        `${prefix}/now`,
        {
          schema: {
            tags: ['Telemetry'],
            summary: 'Current values of telemetry attributes',
            description:
              'Query `devices[<ID>]=attr1,attr2` (repeatable). ID: a load UUID or decimal uid; attributes: ' +
              'signal catalogue keys. Unknown devices (`device_not_found`) and attributes (`attribute_not_found`) ' +
              'and attributes that have no value yet (`no_value`) are left out of `devices` and described in ' +
              '`errors`; `value` is a number, a string (text signals) or a boolean; `timestamp` is Unix ' +
              `seconds. ${AUTH}${alias}`,
            security: [{ enapterToken: [] }],
            querystring: NowQuery,
            response: { 200: NowResponse, ...errors([400, 403, 429]) },
          },
        },
        // Synchronous (a thrown error still becomes the error answer): no promise per request.
        (req, reply) => {
          reply
            .type(JSON_TYPE)
            .send(
              nowMemo.get(
                req.url,
                () =>
                  reply.serialize(
                    answerNow(store, parseNowQuery(req.query as Record<string, unknown>)),
                  ) as string,
              ),
            );
        },
      );
      s.post<{ Body: Static<typeof TimeseriesBody> }>(
        `${prefix}/timeseries`,
        {
          schema: {
            tags: ['Telemetry'],
            summary: 'Time series of telemetry attributes as CSV',
            description: `${TIMESERIES_DOC} ${AUTH}${alias}`,
            security: [{ enapterToken: [] }],
            body: TimeseriesBody,
            response: {
              200: {
                description: 'CSV: header row, then one row per bucket',
                headers: {
                  'X-Enapter-Timeseries-Data-Types': Type.String({
                    description:
                      'Type of each data column (float, integer, string, boolean), one header line per column',
                  }),
                },
                content: {
                  'text/csv': {
                    schema: Type.String({
                      examples: [
                        'ts,telemetry=voltage_l1 device=123e4567-e89b-12d3-a456-426614174000 aggregation=auto granularity=1s gap_filling_method=none gap_filling_look_around=0s\n',
                      ],
                    }),
                  },
                },
              },
              ...errors([400, 403, 413, 422, 429]),
            },
          },
        },
        async (req, reply) => {
          const plan = planTimeseries(req.body, store.config);
          // Written while rows are computed: the stream is pulled as the socket drains, and a client
          // that disconnects destroys it, which ends the generator and so the work.
          let count = 0;
          const counted = function* (): Generator<Row> {
            for (const r of rows(store.telemetry, plan)) {
              count++;
              yield r;
            }
          };
          const csv = Readable.from(csvChunks(plan.columns, counted()), { objectMode: false });
          csv.on('close', () => {
            if (!csv.readableEnded)
              log.info({ rows: count }, 'timeseries client went away: stopped computing');
          });
          return reply
            .status(200)
            .header(
              'x-enapter-timeseries-data-types',
              plan.columns.map((c) => c.dataType),
            )
            .type('text/csv')
            .send(csv);
        },
      );
    });
  }
}
