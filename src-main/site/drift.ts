import type { RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import { readConfig } from '../commissioning/config-read.js';
import { lineOf } from '../commissioning/service.js';
import type { BaselineRow } from '../store/site-repo.js';
import type { SiteWork } from './site-work.js';

export interface DriftChange {
  did: number;
  label: string;
  key: string;
  baseline: number | null;
  now: number | null;
  /** The meter did not answer for this setting now (its baseline value is kept). */
  error: string | null;
}

export interface DriftReport {
  baselineAt: number | null;
  at: number;
  changes: DriftChange[];
}

/** Every configured Modbus meter's settings (all the model knows), read now. */
async function readAll(work: SiteWork): Promise<BaselineRow[]> {
  const rows: BaselineRow[] = [];
  for (const d of work.d.store.config.devices()) {
    if ((d.protocol !== 'rtu' && d.protocol !== 'tcp') || !d.model) continue;
    const model = work.d.library.get(d.model);
    if (!model?.config?.length) continue;
    const c = d.connection as RtuConnection | TcpConnection;
    const t = Date.now();
    const read = () => work.withBus(lineOf(c), (bus) => readConfig({ bus, model, unit: c.unit }));
    let readings = await read();
    // A meter cut off by a timeout (two lost replies on a busy shared line) is read once more before
    // its settings count as unreadable: one bad moment must not show as a list of drifted settings.
    if (
      readings.some((r) => r.value === null && r.error !== null && /timeout|stopped answering/.test(r.error))
    )
      readings = await read();
    // Also the meter's last configuration read, which the Web API serves on its loads.
    work.d.commissioning.rememberRead(d.uid, readings, t);
    for (const r of readings) {
      if (r.error === 'command (not readable)') continue;
      rows.push({ did: d.uid, key: r.key, value: r.value, choice: r.choice, error: r.error, t });
    }
  }
  return rows;
}

/** Records every configured meter's settings as the hand-over baseline (replacing the last one). */
export async function takeBaseline(work: SiteWork): Promise<BaselineRow[]> {
  const rows = await readAll(work);
  work.d.store.site.setBaseline(rows);
  return rows;
}

/** Reads every setting again and lists each change since the baseline. */
export async function drift(work: SiteWork): Promise<DriftReport> {
  const base = work.d.store.site.baseline();
  const now = await readAll(work);
  const byKey = new Map(now.map((r) => [`${r.did} ${r.key}`, r]));
  const label = (did: number): string => work.d.store.config.device(did)?.label ?? `device ${did}`;
  const changes: DriftChange[] = [];
  for (const b of base) {
    const n = byKey.get(`${b.did} ${b.key}`);
    if (!n) {
      changes.push({
        did: b.did,
        label: label(b.did),
        key: b.key,
        baseline: b.value,
        now: null,
        error: 'no longer configured',
      });
      continue;
    }
    if (n.value === null && b.value !== null)
      changes.push({
        did: b.did,
        label: label(b.did),
        key: b.key,
        baseline: b.value,
        now: null,
        error: n.error,
      });
    else if (n.value !== b.value)
      changes.push({
        did: b.did,
        label: label(b.did),
        key: b.key,
        baseline: b.value,
        now: n.value,
        error: null,
      });
  }
  return { baselineAt: base.length ? Math.min(...base.map((b) => b.t)) : null, at: Date.now(), changes };
}
