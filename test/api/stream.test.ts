import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src-main/api/auth.js';
import { ColumnBatch, MAX_STREAMS } from '../../src-main/api/webapi/stream.js';
import type { Sample } from '../../src-main/store/samples-repo.js';
import { login, makeFixture, type Fixture } from './fixture.js';

let f: Fixture;
let base: string;
let token: string;
beforeAll(async () => {
  f = await makeFixture();
  base = await f.app.listen({ host: '127.0.0.1', port: 0 });
  token = await login(f.app);
});
afterAll(() => f.close());

/** Reads a text/event-stream until `done(text)` holds or the stream ends. */
async function readUntil(res: Response, done: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(text) && Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((r) =>
          setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()),
        ),
      ]);
      if (chunk.done) break;
      text += dec.decode(chunk.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}

const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.startsWith('event: samples'))
    .map(
      (block) =>
        JSON.parse(block.split('\ndata: ')[1]!) as { uid: number[]; t: number[]; v: unknown[]; s: number[] },
    );

describe('GET /v1/stream (Server-Sent Events)', () => {
  it('batches the poller’s samples of the chosen uids into one columnar event per 250 ms', async () => {
    const { voltage, current, tariff } = f.uid;
    const res = await fetch(`${base}/v1/stream?uids=${voltage},${current}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reading = readUntil(res, (t) => events(t).length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    const batch1: Sample[] = [
      { uid: voltage, t: 1000, v: 230.5, s: 1 },
      { uid: tariff, t: 1000, v: 2, s: 1 },
    ];
    f.engine.poller.emit('samples', batch1);
    f.engine.poller.emit('samples', [{ uid: current, t: 1001, v: 2.5, s: 2 }]);
    f.engine.poller.emit('samples', [{ uid: voltage, t: 1002, v: Number.NaN, s: 1 }]);
    await new Promise((r) => setTimeout(r, 400));
    f.engine.poller.emit('samples', [{ uid: voltage, t: 2000, v: 231, s: 1 }]);
    const got = events(await reading);
    // Three emits inside one interval arrive as ONE event; the tariff sample was not asked for.
    expect(got[0]).toEqual({
      uid: [voltage, current, voltage],
      t: [1000, 1001, 1002],
      v: [230.5, 2.5, null],
      s: [1, 2, 1],
    });
    expect(got[1]).toEqual({ uid: [voltage], t: [2000], v: [231], s: [1] });
  });

  it('takes the token as ?token= for EventSource, and refuses missing or bad tokens and bad uids', async () => {
    const ok = await fetch(`${base}/v1/stream?token=${token}`);
    expect(ok.status).toBe(200);
    const reading = readUntil(ok, (t) => events(t).length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    f.engine.poller.emit('samples', [{ uid: 11, t: 5, v: 1, s: 1 }]);
    expect(events(await reading)[0]).toEqual({ uid: [11], t: [5], v: [1], s: [1] });

    for (const [url, status] of [
      ['/v1/stream', 401],
      ['/v1/stream?token=nope', 401],
      ['/v1/stream?uids=1,x', 401],
    ] as const) {
      const r = await fetch(`${base}${url}`);
      expect(r.status, url).toBe(status);
      expect(((await r.json()) as { error: { code: string } }).error.code).toMatch(
        /unauthorized|invalid_token/,
      );
    }
    const bad = await fetch(`${base}/v1/stream?uids=1,x`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'bad_request', message: expect.stringMatching(/uids/) },
    });
  });

  it('ends the stream with an `expired` event when the token expires', async () => {
    const short = await issueToken(
      f.engine.store,
      { username: 'reader', role: 'api' },
      Date.now() - 30 * 60_000 + 1500,
    );
    const res = await fetch(`${base}/v1/stream`, { headers: { authorization: `Bearer ${short}` } });
    expect(res.status).toBe(200);
    const text = await readUntil(res, (t) => t.includes('event: expired'), 6000);
    expect(text).toContain('event: expired');
  });
});

describe('stream limits', () => {
  it(`refuses more than ${MAX_STREAMS} open streams with 429 and frees a slot when one closes`, async () => {
    const open = await Promise.all(
      Array.from({ length: MAX_STREAMS }, () =>
        fetch(`${base}/v1/stream`, { headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    expect(open.map((r) => r.status)).toEqual(open.map(() => 200));
    const over = await fetch(`${base}/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('5');
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
    await open[0]!.body!.cancel();
    let again: Response | undefined;
    for (let i = 0; i < 20 && again?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      again = await fetch(`${base}/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
      if (again.status !== 200) await again.body?.cancel();
    }
    expect(again?.status).toBe(200);
    await Promise.all([again!, ...open.slice(1)].map((r) => r.body!.cancel()));
  });
});

describe('ColumnBatch', () => {
  it('collects samples in columns and starts over after take()', () => {
    const b = new ColumnBatch();
    expect(b.take()).toBeUndefined();
    b.push({ uid: 1, t: 2, v: 'on', s: 1 });
    b.push({ uid: 3, t: 4, v: Number.POSITIVE_INFINITY, s: 0 });
    expect(b.take()).toEqual({ uid: [1, 3], t: [2, 4], v: ['on', null], s: [1, 0] });
    expect(b.take()).toBeUndefined();
  });
});
