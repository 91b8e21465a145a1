import type { DeviceStatus } from '../../src-preload/contract/index.js';
import type { Poller } from '../poller/poller.js';
import type { Producer } from './events.js';

/** Device states, coalesced per device: at most one message per `everyMs`, the newest state of each. */
export function statusFeed(poller: Poller, everyMs = 1000): Producer<'status'> {
  return (emit) => {
    let pending = new Map<number, DeviceStatus>();
    const onStatus = (s: DeviceStatus): void => {
      pending.set(s.uid, { ...s });
    };
    poller.on('status', onStatus);
    const timer = setInterval(() => {
      if (!pending.size) return;
      const out = [...pending.values()];
      pending = new Map();
      emit(out);
    }, everyMs);
    timer.unref();
    return () => {
      poller.off('status', onStatus);
      clearInterval(timer);
    };
  };
}
