import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import { ApiError } from '../errors.js';
import { telemetryGuard, tokenThrottle } from '../guards.js';
import { errorResponses, TelemetryError } from '../schemas/common.js';
import { MAX_ATTRIBUTES, MAX_CELLS, NowQuery, NowResponse, TimeseriesBody } from '../schemas/telemetry.js';
import { scoped } from '../scope.js';
import { computeTable } from './compute.js';
import { toCsv } from './csv.js';
import { answerNow, parseNowQuery } from './now.js';
import { planTimeseries } from './plan.js';

const PREFIXES = ['/api/telemetry/v1', '/telemetry/v1'] as const;
const AUTH =
  'Header `X-Enapter-Auth-Token`: an API token (created by an admin) or a JWT from /v1/auth/login. ' +
  'Missing or malformed: 403 `invalid_header`; bad token: 403 `forbidden`; 20 failures from one ' +
  'address within 10 minutes: 429 with Retry-After.';
const ALIAS = ' Also served without the `/api` prefix (older Enapter CLI).';

const TIMESERIES_DOC =
  `Time buckets aligned to multiples of the granularity since the Unix epoch; \`ts\` is the bucket start ` +
  '(Unix s); rows cover [from, to) (the first bucket may start before `from`). Granularities of whole ' +
  'minutes are computed from the 60-s roll-ups (a minute counts when it overlaps [from, to); `last` of a ' +
  'gauge is then the mean of its last minute, `avg` of a counter the mean of its minute-end readings), ' +
  'finer ones from raw samples (kept 7 days). Without gap ' +
  'filling a row exists where some column has a value; a `locf` column has every bucket. At most ' +
  `${MAX_ATTRIBUTES} attributes and ${MAX_CELLS} cells (buckets × attributes) per request. The body is ` +
  'parsed as JSON whatever its Content-Type. Answer: `text/csv` and one `X-Enapter-Timeseries-Data-Types` ' +
  'header line per data column.';

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
              'signal catalogue keys. Unknown devices or attributes are left out and described in `errors`; ' +
              `an attribute without a value yet has \`value: null\`; \`timestamp\` is Unix seconds. ${AUTH}${alias}`,
            security: [{ enapterToken: [] }],
            querystring: NowQuery,
            response: { 200: NowResponse, ...errors([400, 403, 429]) },
          },
        },
        async (req) => answerNow(store, parseNowQuery(req.query as Record<string, unknown>)),
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
          const csv = toCsv(plan.columns, computeTable(store.telemetry, plan));
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
