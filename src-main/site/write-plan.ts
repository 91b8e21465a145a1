import type { LoadWriteReport } from '../commissioning/service.js';
import type { PlanCheck } from './plan-match.js';
import { lineOfPlanned, type SiteWork } from './site-work.js';

export interface WritePlanMeter {
  index: number;
  label: string;
  uid: number | null;
  /** Added to the configuration by this job. */
  added: boolean;
  /** The settings job on this meter (one outcome per setting), null when nothing was written. */
  write: LoadWriteReport | null;
  /** Why this meter was left alone. */
  skipped: string | null;
}

export interface WritePlanReport {
  at: number;
  who: string;
  ok: boolean;
  meters: WritePlanMeter[];
}

/**
 * One job over the whole plan: each planned Modbus meter found on the wire with the planned model is
 * added (or its configuration brought in line with the plan) and gets the plan's settings through the
 * existing write with read-back and audit log. A meter that refuses does not stop the others.
 */
export async function writePlan(work: SiteWork, check: PlanCheck, who: string): Promise<WritePlanReport> {
  const site = work.d.plan.require();
  const meters: WritePlanMeter[] = [];
  for (const m of check.matches) {
    const p = site.devices[m.index]!;
    const base = { index: m.index, label: p.label, uid: null, added: false, write: null };
    const line = lineOfPlanned(p.bus);
    if (!line) {
      meters.push({
        ...base,
        skipped: `${p.bus.kind} meters have no settings to write; add them on the Discovery page`,
      });
      continue;
    }
    if (!m.wire) {
      meters.push({ ...base, skipped: 'not found on the wire' });
      continue;
    }
    if (m.wire.model !== p.model) {
      meters.push({
        ...base,
        skipped: `a ${m.wire.modelName ?? m.wire.kind} answers there, not the planned ${p.model}`,
      });
      continue;
    }
    const w = m.wire;
    await work.withBus(line, async () => {
      const { tree, added } = work.ensureConfigured(p, w);
      const settings = work.plannedSettings(p);
      const lid = tree.loads[0]?.uid;
      if (!Object.keys(settings).length || lid === undefined) {
        meters.push({
          ...base,
          uid: tree.uid,
          added,
          skipped: Object.keys(settings).length ? 'no load' : null,
        });
        return;
      }
      try {
        const write = await work.d.commissioning.writeLoadConfig(lid, settings, who);
        meters.push({ ...base, uid: tree.uid, added, write, skipped: null });
      } catch (e) {
        meters.push({ ...base, uid: tree.uid, added, skipped: `nothing written: ${(e as Error).message}` });
      }
    });
  }
  const ok = meters.every((x) => (x.write ? x.write.ok : x.skipped === null));
  return { at: Date.now(), who, ok, meters };
}
