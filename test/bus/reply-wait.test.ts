import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src-main/bus/queue.js';
import { ReplyWait, type ReplyOutcome } from '../../src-main/bus/reply-wait.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const frame = Buffer.from([1, 3, 0, 0, 0, 1]);

/** begin() as a promise that resolves when the wait has ended. */
function begun(
  w: ReplyWait,
  ...args: Parameters<ReplyWait['begin']> extends [...infer A, unknown] ? A : never
): Promise<void> {
  return new Promise((ended) => w.begin(...args, ended));
}

/** The wait's outcome once `p` (its begin()) has resolved, and how long that took, ms. */
async function timed(w: ReplyWait, p: Promise<void>): Promise<{ outcome: ReplyOutcome; ms: number }> {
  const started = performance.now();
  await p;
  return { outcome: w.outcome, ms: performance.now() - started };
}

async function outcomeOf(w: ReplyWait, p: Promise<void>): Promise<ReplyOutcome> {
  await p;
  return w.outcome;
}

/** A request with `firstMs` answered at once, then a second one with `secondMs` left to time out. */
async function afterAnswered(w: ReplyWait, firstMs: number, secondMs: number) {
  const first = begun(w, 1, 1, frame, frame, firstMs, undefined, undefined);
  w.settle(Buffer.from([3, 0]));
  await first;
  return timed(w, begun(w, 1, 2, frame, frame, secondMs, undefined, undefined));
}

describe('ReplyWait: one pending request and one watchdog', () => {
  it('calls `ended` once, synchronously from the settle, with the outcome set', () => {
    const w = new ReplyWait();
    const seen: ReplyOutcome[] = [];
    w.begin(1, 1, frame, frame, 1000, undefined, undefined, () => seen.push(w.outcome));
    expect(w.pending).toBe(true);
    const reply = Buffer.from([3, 2, 0, 1]);
    w.settle(reply);
    expect(seen).toEqual([reply]);
    expect(w.pending).toBe(false);
    w.settle({ error: 'timeout' });
    expect(seen).toHaveLength(1);
    w.stop();
  });

  it('settles with the reply, and a second settle is ignored', async () => {
    const w = new ReplyWait();
    const p = begun(w, 1, 7, frame, frame, 1000, undefined, undefined);
    expect(w.pending).toBe(true);
    const pdu = Buffer.from([3, 2, 0, 42]);
    w.settle(pdu);
    w.settle({ error: 'timeout' });
    expect(await outcomeOf(w, p)).toBe(pdu);
    expect(w.pending).toBe(false);
    w.stop();
  });

  it('times out at its own deadline when the watchdog was armed for a later one', async () => {
    const w = new ReplyWait();
    // The first request arms the watchdog for 2 s; a shorter one after it must not wait for that.
    const { outcome, ms } = await afterAnswered(w, 2000, 60);
    expect(outcome).toEqual({ error: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(58);
    expect(ms).toBeLessThan(1000);
    w.stop();
  });

  it('is not cut short by a watchdog armed for an earlier, shorter request', async () => {
    const w = new ReplyWait();
    // The watchdog fires at ~40 ms, finds the second request's deadline later and re-arms for it.
    const { outcome, ms } = await afterAnswered(w, 40, 150);
    expect(outcome).toEqual({ error: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(148);
    w.stop();
  });

  it('a short wait for the start of a reply becomes the full timeout on the first byte', async () => {
    const silent = new ReplyWait();
    const quiet = await timed(silent, begun(silent, 1, 1, frame, frame, 500, 40, undefined));
    expect(quiet.outcome).toEqual({ error: 'timeout' });
    expect(quiet.ms).toBeLessThan(400);
    silent.stop();

    const w = new ReplyWait();
    const p = timed(w, begun(w, 1, 1, frame, frame, 200, 40, undefined));
    await sleep(20);
    w.firstByte();
    const { outcome, ms } = await p;
    expect(outcome).toEqual({ error: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(198);
    w.stop();
  });

  it('ends with cancelled when its signal aborts, and forgets the signal after', async () => {
    const w = new ReplyWait();
    const ac = new AbortController();
    const p = begun(w, 1, 1, frame, frame, 1000, undefined, ac.signal);
    ac.abort();
    expect(await outcomeOf(w, p)).toEqual({ error: 'cancelled' });
    // A later request is not ended by the old signal's listener.
    const ac2 = new AbortController();
    const next = begun(w, 1, 2, frame, frame, 1000, undefined, ac2.signal);
    const reply = Buffer.from([3, 0]);
    w.settle(reply);
    expect(await outcomeOf(w, next)).toBe(reply);
    w.stop();
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time in arrival order; a failed task frees the line', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, ms: number, fail = false) =>
      async (): Promise<string> => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const a = q.run(task('a', 20));
    const b = q.run(task('b', 5, true));
    const c = q.run(task('c', 1));
    expect(q.length).toBe(3);
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('b');
    expect(await c).toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(q.length).toBe(0);
  });

  it('acquire takes a free line at once and hands it over on release', async () => {
    const q = new SerialQueue();
    expect(q.acquire()).toBeUndefined();
    const turn = q.acquire();
    expect(turn).toBeInstanceOf(Promise);
    let got = false;
    void turn?.then(() => (got = true));
    await sleep(1);
    expect(got).toBe(false);
    q.release();
    await turn;
    expect(got).toBe(true);
    expect(q.length).toBe(1);
    q.release();
    expect(q.length).toBe(0);
  });
});
