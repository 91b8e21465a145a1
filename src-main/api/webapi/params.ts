import type { PageSpec, SignalSet } from '../../store/history-queries.js';
import { ApiError } from '../errors.js';
import { DEFAULT_LIMIT, MAX_UID } from '../schemas/common.js';

/** `uids=1,2,59` (already pattern-checked by the schema) → a uid list; absent → undefined. */
export function uidList(uids: string | undefined): number[] | undefined {
  if (uids === undefined) return undefined;
  const list = uids.split(',').map(Number);
  const bad = list.find((u) => !Number.isSafeInteger(u) || u < 1 || u > MAX_UID);
  if (bad !== undefined)
    throw new ApiError(400, 'bad_request', `query parameter uids: ${bad} is not a valid uid`);
  return [...new Set(list)];
}

export const signalSet = (uids: string | undefined): SignalSet => uidList(uids) ?? 'all';

export function pageSpec(q: { limit?: number; page?: number }): PageSpec {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const offset = ((q.page ?? 1) - 1) * limit;
  if (!Number.isSafeInteger(offset))
    throw new ApiError(400, 'bad_request', 'query parameter page: too large for this limit');
  return { limit, offset };
}

/** `start` inclusive, `end` exclusive, Unix ms; missing ends are open. */
export function timeRange(q: { start?: number; end?: number }): { startMs: number; endMs: number } {
  const startMs = q.start ?? 0;
  const endMs = q.end ?? Number.MAX_SAFE_INTEGER;
  if (startMs > endMs)
    throw new ApiError(400, 'bad_request', `start (${startMs}) is after end (${endMs})`, {
      start: startMs,
      end: endMs,
    });
  return { startMs, endMs };
}

/** Applies a page to a list already ordered by uid. */
export function slicePage<T>(items: readonly T[], page: PageSpec): T[] {
  return items.slice(page.offset, page.offset + page.limit);
}
