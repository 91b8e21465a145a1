import type { HistorySeries } from '../../src-preload/contract/index.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError, notFound } from './errors.js';

/** 14 days of 1-minute roll-ups per signal: enough for a commissioning review, small enough for a chart. */
export const MAX_HISTORY_ROWS = 14 * 24 * 60;

export function historyHandlers(ctx: HostContext): Pick<Handlers, 'realtime.get' | 'history.get'> {
  const { store } = ctx.engine;
  return {
    'realtime.get': (arg) => store.samples.realtime(arg?.uids),
    'history.get': ({ uids, start, end }) => {
      if (end <= start)
        throw new HandlerError('bad_request', 'the end of the range must lie after its start');
      const rows = Math.ceil((end - start) / 60_000) + 1;
      if (rows > MAX_HISTORY_ROWS)
        throw new HandlerError('bad_request', 'at most 14 days at a time: pick a shorter range');
      return [...new Set(uids)].map((uid): HistorySeries => {
        if (!store.config.signal(uid)) throw notFound('signal', uid);
        const out: HistorySeries = { uid, p: [], v: [], min: [], max: [], d: [] };
        for (const r of store.samples.history(uid, start, end, rows)) {
          out.p.push(r.p);
          out.v.push(r.v);
          out.min.push(r.min);
          out.max.push(r.max);
          out.d.push(r.d);
        }
        return out;
      });
    },
  };
}
