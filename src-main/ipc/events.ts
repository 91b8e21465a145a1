import type { EventMap, EventName } from '../../src-preload/contract/index.js';
import { logger } from '../util/log.js';

export type Emit<E extends EventName> = (payload: EventMap[E]) => void;
/** Starts producing one event; returns the function that stops it. */
export type Producer<E extends EventName> = (emit: Emit<E>) => () => void;
export type Producers = { [E in EventName]?: Producer<E> };

type AnyListener = (payload: never) => void;
const log = logger('events');

/**
 * Fans engine events out to subscribers (IPC windows, WebSocket clients). A producer runs only while
 * its event has at least one subscriber, so an idle bus monitor costs nothing.
 */
export class EventHub {
  private readonly subs = new Map<EventName, Set<AnyListener>>();
  private readonly running = new Map<EventName, () => void>();

  constructor(private readonly producers: Producers = {}) {}

  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.subs.get(event);
    if (!set) {
      set = new Set();
      this.subs.set(event, set);
    }
    set.add(listener as AnyListener);
    if (set.size === 1) this.startProducer(event);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const cur = this.subs.get(event);
      cur?.delete(listener as AnyListener);
      if (cur && !cur.size) {
        this.subs.delete(event);
        this.running.get(event)?.();
        this.running.delete(event);
      }
    };
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const l of this.subs.get(event) ?? []) {
      try {
        (l as (p: EventMap[E]) => void)(payload);
      } catch (err) {
        // One broken subscriber (a closed window, a dead socket) must not starve the others.
        log.warn({ event, err: (err as Error).message }, 'subscriber failed');
      }
    }
  }

  listeners(event: EventName): number {
    return this.subs.get(event)?.size ?? 0;
  }

  close(): void {
    for (const stop of this.running.values()) stop();
    this.running.clear();
    this.subs.clear();
  }

  private startProducer<E extends EventName>(event: E): void {
    const p = this.producers[event] as Producer<E> | undefined;
    if (!p || this.running.has(event)) return;
    this.running.set(
      event,
      p((payload) => this.emit(event, payload)),
    );
  }
}
