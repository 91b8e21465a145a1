import { describe, expect, it, vi } from 'vitest';
import type { SampleBatch } from '../../src-preload/contract/index.js';
import { EventHub } from '../../src-main/ipc/events.js';
import { samplesFeed } from '../../src-main/ipc/samples-feed.js';
import { Poller } from '../../src-main/poller/poller.js';

const sink = { ingest: () => undefined, markStale: () => undefined, flush: () => undefined };

describe('event hub and the batched sample feed', () => {
  it('runs a producer only while its event has subscribers', () => {
    const stop = vi.fn();
    const start = vi.fn(() => stop);
    const hub = new EventHub({ samples: start });
    const a = hub.subscribe('samples', () => undefined);
    const b = hub.subscribe('samples', () => undefined);
    expect(start).toHaveBeenCalledTimes(1);
    a();
    a();
    expect(stop).not.toHaveBeenCalled();
    b();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(hub.listeners('samples')).toBe(0);
  });

  it('keeps delivering to the others when one subscriber throws', () => {
    const hub = new EventHub();
    const got: string[] = [];
    hub.subscribe('config.changed', () => {
      throw new Error('window gone');
    });
    hub.subscribe('config.changed', (p) => got.push(p.reason));
    hub.emit('config.changed', { reason: 'x' });
    expect(got).toEqual(['x']);
  });

  it('sends one columnar batch per interval however many poll cycles ended in it', async () => {
    vi.useFakeTimers();
    try {
      const poller = new Poller(sink);
      const hub = new EventHub({ samples: samplesFeed(poller, 250) });
      const batches: SampleBatch[] = [];
      const off = hub.subscribe('samples', (b) => batches.push(b));
      // 20 devices × 10 cycles within one interval: 200 poll cycles, 2 samples each.
      for (let c = 0; c < 10; c++)
        for (let d = 0; d < 20; d++)
          poller.emit('samples', [
            { uid: d * 2 + 1, t: 1000 + c, v: c, s: 1 },
            { uid: d * 2 + 2, t: 1000 + c, v: true, s: 1 },
          ]);
      expect(batches).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(250);
      expect(batches).toHaveLength(1);
      expect(batches[0]?.uid).toHaveLength(400);
      expect(batches[0]?.v[1]).toBe(1); // booleans travel as numbers
      await vi.advanceTimersByTimeAsync(1000);
      expect(batches).toHaveLength(1); // nothing new, nothing sent
      off();
      expect(poller.listenerCount('samples')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
