import type { DeviceModel } from '../devices/model-schema.js';
import type { ConfigWriteEntry, ConfigWriteOutcome, ConfigWritesRepo } from '../store/config-writes-repo.js';
import { representable } from './config-fields.js';
import type { ConfigTarget } from './config-read.js';
import type { WriteResult } from './config-write.js';

/** An earlier write to this meter whose arrival was unknown, as a later job's first read settled it. */
export interface ResolvedWrite {
  key: string;
  requested: number;
  /** When that write was sent, and by whom. */
  t: number;
  who: string;
  /** What the meter holds now. */
  readBack: number;
  reached: boolean;
}

/**
 * Where a write job records each setting: an intent row before it is sent (`pending`), its outcome
 * after. A job killed in between leaves the row `pending` — the audit log then says this setting may
 * or may not have reached the meter — until a later job on the same meter reads it and settles it.
 */
export interface WriteJournal {
  /** Records a setting about to be sent (or refused); returns the row the outcome goes to. */
  begin(r: Omit<WriteResult, 'outcome'> & { outcome: ConfigWriteOutcome }): number;
  end(row: number, r: WriteResult): void;
  /** Earlier writes to this meter whose arrival is unknown (pending or unknown), oldest first. */
  unresolved(): readonly ConfigWriteEntry[];
  settle(row: number, s: Pick<ConfigWriteEntry, 'readback' | 'outcome' | 'message'>): void;
}

export const NO_JOURNAL: WriteJournal = {
  begin: () => 0,
  end: () => undefined,
  unresolved: () => [],
  settle: () => undefined,
};

/**
 * The meter a write went to, as the audit log names it: the bus (port or host, without the serial
 * speed, which a link setting may change) and the unit id.
 */
export function writeTarget(endpoint: string, unit: number): string {
  return `${endpoint.split('@')[0] ?? endpoint} unit ${unit}`;
}

/** The journal in the store's audit log, rows signed with who did it and the configured device, if any. */
export function storeJournal(
  repo: ConfigWritesRepo,
  t: ConfigTarget,
  by: { who: string; did: number | null; lid: number | null },
): WriteJournal {
  const target = writeTarget(t.bus.endpoint, t.unit);
  return {
    begin: (r) =>
      repo.add({
        ...by,
        target,
        key: r.key,
        old: r.old,
        new: r.requested,
        readback: r.readBack,
        outcome: r.outcome,
        message: r.message,
      }).id,
    end: (row, r) => repo.settle(row, { readback: r.readBack, outcome: r.outcome, message: r.message }),
    unresolved: () => repo.unresolved(target),
    settle: (row, s) => repo.settle(row, s),
  };
}

/**
 * Settles earlier writes of unknown arrival from what the meter holds now (`now`, read by this job):
 * the requested value there → it reached the meter (`ok`); another value → it did not (`failed`).
 * A command, or a setting that could not be read, stays unknown.
 */
export function resolveEarlier(
  model: DeviceModel,
  earlier: readonly ConfigWriteEntry[],
  now: ReadonlyMap<string, number | null>,
  journal: WriteJournal,
): ResolvedWrite[] {
  const out: ResolvedWrite[] = [];
  const at = new Date().toISOString();
  for (const e of earlier) {
    const reg = model.config?.find((c) => c.key === e.key);
    const held = now.get(e.key);
    if (!reg || reg.writeOnly || e.new === null || held === null || held === undefined) continue;
    const reached = held === representable(reg, model, e.new);
    const was =
      e.outcome === 'pending'
        ? 'the job was interrupted while sending it'
        : 'the line went away while sending it';
    journal.settle(e.id, {
      readback: held,
      outcome: reached ? 'ok' : 'failed',
      message: reached
        ? `${was}; a later read (${at}) found ${held} on the meter: it reached the meter`
        : `${was}; a later read (${at}) found ${held}, not ${e.new}: it did not reach the meter`,
    });
    out.push({ key: e.key, requested: e.new, t: e.t, who: e.who, readBack: held, reached });
  }
  return out;
}
