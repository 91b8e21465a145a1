import type { SampleBatch } from '../../src-preload/contract/index.js';
import type { Poller } from '../poller/poller.js';
import type { Sample } from '../store/samples-repo.js';
import type { Producer } from './events.js';

const empty = (): SampleBatch => ({ uid: [], t: [], v: [], s: [] });

/**
 * Collects every poll cycle's samples into one columnar batch and emits it every `everyMs`: a
 * renderer gets a few messages a second however many signals and devices are polled.
 */
export function samplesFeed(poller: Poller, everyMs = 250): Producer<'samples'> {
  return (emit) => {
    let batch = empty();
    const onSamples = (samples: readonly Sample[]): void => {
      for (const s of samples) {
        batch.uid.push(s.uid);
        batch.t.push(s.t);
        batch.v.push(typeof s.v === 'boolean' ? Number(s.v) : s.v);
        batch.s.push(s.s);
      }
    };
    poller.on('samples', onSamples);
    const timer = setInterval(() => {
      if (!batch.uid.length) return;
      const out = batch;
      batch = empty();
      emit(out);
    }, everyMs);
    timer.unref();
    return () => {
      poller.off('samples', onSamples);
      clearInterval(timer);
    };
  };
}
