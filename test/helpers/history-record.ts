import type { HistoryRecord } from '../../src-preload/contract/domain.js';
import { HISTORY_COLUMNS, type HistoryRow } from '../../src-main/store/history-queries.js';

/** A history row as the record object the API's JSON describes (keys in HISTORY_COLUMNS order). */
export const recordOf = (r: HistoryRow): HistoryRecord =>
  Object.fromEntries(HISTORY_COLUMNS.map((c, i) => [c, r[i]])) as unknown as HistoryRecord;
