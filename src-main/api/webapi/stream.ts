import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import type { Sample } from '../../store/samples-repo.js';
import { ApiError } from '../errors.js';
import { bearerGuard, principalOf } from '../guards.js';
import { errorResponses, Uids, WebapiError } from '../schemas/common.js';
import { scoped } from '../scope.js';
import { uidList } from './params.js';

/** One event per connection at most this often: live data travels in batches, never per sample. */
export const STREAM_BATCH_MS = 250;
export const MAX_STREAMS = 32;
const HEARTBEAT_MS = 15_000;
/** A client that stops reading is dropped once this much is queued for it. */
const MAX_QUEUED_BYTES = 1 << 20;

/** Samples in columns: `{uid:[…], t:[…], v:[…], s:[…]}`, row i across the four arrays is one sample. */
export interface SampleColumns {
  uid: number[];
  t: number[];
  v: (number | string | boolean | null)[];
  s: number[];
}

export class ColumnBatch {
  private cols: SampleColumns = { uid: [], t: [], v: [], s: [] };

  push(x: Sample): void {
    this.cols.uid.push(x.uid);
    this.cols.t.push(x.t);
    this.cols.v.push(typeof x.v === 'number' && !Number.isFinite(x.v) ? null : x.v);
    this.cols.s.push(x.s);
  }

  /** The batch so far (undefined when empty), and a fresh one for the next interval. */
  take(): SampleColumns | undefined {
    if (!this.cols.uid.length) return undefined;
    const out = this.cols;
    this.cols = { uid: [], t: [], v: [], s: [] };
    return out;
  }
}

const StreamQuery = Type.Object({
  uids: Type.Optional(Uids),
  token: Type.Optional(
    Type.String({
      maxLength: 4096,
      description: 'The login JWT, for EventSource clients that cannot set an Authorization header',
    }),
  ),
});

/** Server-Sent Events of live samples, fed by the poller. */
export async function streamRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const closers = new Set<() => void>();
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const close of [...closers]) close();
  });

  await scoped(app, bearerGuard(engine.store), (s) => {
    s.get<{ Querystring: Static<typeof StreamQuery> }>(
      '/v1/stream',
      {
        exposeHeadRoute: false,
        config: { queryToken: true },
        schema: {
          tags: ['Realtime'],
          summary: 'Live values as Server-Sent Events',
          description:
            `Events \`samples\` carry \`{"uid":[…],"t":[…],"v":[…],"s":[…]}\` (columns; t in Unix ms), at ` +
            `most one every ${STREAM_BATCH_MS} ms. Without \`uids\`, every signal. The stream ends with an ` +
            '`expired` event when the token expires; reconnect with a fresh token. At most ' +
            `${MAX_STREAMS} streams at a time (429 beyond).`,
          security: [{ bearerAuth: [] }, { queryToken: [] }],
          querystring: StreamQuery,
          response: {
            200: {
              description: 'text/event-stream',
              content: { 'text/event-stream': { schema: Type.String() } },
            },
            ...errorResponses(WebapiError, [400, 401, 429]),
          },
        },
      },
      async (req, reply) => {
        const wanted = uidList(req.query.uids);
        const filter = wanted && new Set(wanted);
        const { expiresAtMs } = principalOf(req);
        if (closers.size >= MAX_STREAMS)
          throw new ApiError(429, 'too_many_streams', `at most ${MAX_STREAMS} streams at a time`, undefined, {
            'retry-after': '5',
          });
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const batch = new ColumnBatch();
        let lastWrite = 0;
        let closed = false;
        const write = (text: string): void => {
          if (closed) return;
          if (res.writableLength > MAX_QUEUED_BYTES) return close();
          res.write(text);
          lastWrite = Date.now();
        };
        const onSamples = (samples: Sample[]): void => {
          for (const x of samples) if (!filter || filter.has(x.uid)) batch.push(x);
        };
        const tick = setInterval(() => {
          const cols = batch.take();
          if (cols) write(`event: samples\ndata: ${JSON.stringify(cols)}\n\n`);
          else if (Date.now() - lastWrite >= HEARTBEAT_MS) write(': keep-alive\n\n');
        }, STREAM_BATCH_MS);
        const expiry = Number.isFinite(expiresAtMs)
          ? setTimeout(
              () => {
                write('event: expired\ndata: {"reason":"token expired"}\n\n');
                close();
              },
              Math.min(Math.max(0, expiresAtMs - Date.now()), 2 ** 31 - 1),
            )
          : undefined;
        function close(): void {
          if (closed) return;
          closed = true;
          closers.delete(close);
          clearInterval(tick);
          clearTimeout(expiry);
          engine.poller.off('samples', onSamples);
          res.end();
        }
        closers.add(close);
        engine.poller.on('samples', onSamples);
        res.on('close', close);
        res.on('error', close);
        write(`retry: 3000\n: ${filter ? filter.size : 'all'} signal(s)\n\n`);
        return reply;
      },
    );
  });
}
