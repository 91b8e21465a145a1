import { readFileSync } from 'node:fs';
import { readScanFile } from '../../commissioning/add-from-scan.js';
import type { Engine } from '../../engine.js';
import type { CrossCheckResult } from '../../site/cross-check.js';
import { DEFAULT_CROSS_SECONDS } from '../../site/cross-check-run.js';
import { drift, takeBaseline } from '../../site/drift.js';
import type { PlanCheck } from '../../site/plan-match.js';
import type { WritePlanReport } from '../../site/write-plan.js';
import { int, OperationError, type Io, type Parsed } from '../args.js';

const where = (w: { bus: string; unit?: number; mbusAddress?: number | string }): string =>
  `${w.bus}${w.unit !== undefined ? ` unit ${w.unit}` : w.mbusAddress !== undefined ? ` address ${w.mbusAddress}` : ''}`;

export function describeCheck(c: PlanCheck): string[] {
  const lines: string[] = [];
  for (const m of c.matches) {
    const head = { ok: 'OK      ', differs: 'DIFFERS ', missing: 'MISSING ' }[m.outcome];
    const found = m.wire
      ? `  ${m.wire.modelName ?? m.wire.model ?? m.wire.kind} at ${where(m.wire)}${m.wire.serialNumber ? `, s/n ${m.wire.serialNumber}` : ''}${m.matchedBy === 'serial' ? ' (matched by serial number)' : ''}`
      : '';
    lines.push(`${head}${m.label}${found}`);
    for (const d of m.differences)
      lines.push(`          ${d.field}: planned ${d.planned}, found ${d.found ?? '(not readable)'}`);
  }
  for (const w of c.unplanned)
    lines.push(
      `UNPLANNED ${w.modelName ?? w.model ?? w.kind} at ${where(w)}${w.serialNumber ? `, s/n ${w.serialNumber}` : ''}`,
    );
  for (const n of c.notes) lines.push(`note: ${n}`);
  return lines;
}

export function describeWrite(r: WritePlanReport): string[] {
  const lines: string[] = [];
  for (const m of r.meters) {
    const state = m.write ? (m.write.ok ? 'written' : 'FAILED') : m.skipped ? 'skipped' : 'nothing to write';
    lines.push(
      `${m.label}: ${state}${m.added ? ' (added to the configuration)' : ''}${m.skipped ? ` — ${m.skipped}` : ''}`,
    );
    for (const x of m.write?.results ?? [])
      lines.push(
        `  ${x.key}: ${x.old ?? '?'} → ${x.requested}, read back ${x.readBack ?? '-'}: ${x.message}`,
      );
  }
  return lines;
}

export function describeCrossCheck(r: CrossCheckResult): string[] {
  const lines = [
    `${r.ok ? 'AGREE  ' : r.verdict === 'inconclusive' ? 'UNSURE ' : 'FLAGGED'} ${r.message}`,
    `        ${r.main.label} against ${r.p1.label}: ${r.samples} reading(s) in ${r.seconds} s${r.factor !== null ? `, factor ×${r.factor.toFixed(2)}` : ''}`,
  ];
  for (const p of r.phases)
    lines.push(
      `        L${p.phase}: P1 ${Math.round(p.p1W)} W, main ${Math.round(p.mainW)} W${p.factor !== null ? ` (×${p.factor.toFixed(2)})` : ''}`,
    );
  if (r.energy.compared)
    lines.push(
      `        energy: P1 ${r.energy.p1Wh} Wh, main ${r.energy.mainWh} Wh (±${r.energy.toleranceWh} Wh): ${r.energy.ok ? 'agree' : 'DIFFER'}`,
    );
  else if (r.energy.p1Wh !== null)
    lines.push(
      `        energy: P1 ${r.energy.p1Wh} Wh, main ${r.energy.mainWh ?? '?'} Wh (too little to compare)`,
    );
  for (const f of r.fixes) lines.push(`  fix: ${f}`);
  return lines;
}

/** `site check` and `site write-plan`: the plan against the wire, and the one job that writes it. */
export async function siteWork(
  action: 'check' | 'write-plan' | 'check-wiring' | 'baseline' | 'drift' | 'cross-check',
  engine: Engine,
  values: Parsed['values'],
  io: Io,
): Promise<number> {
  if (action === 'baseline') {
    const rows = await takeBaseline(engine.site);
    const meters = new Set(rows.map((r) => r.did)).size;
    io.out(
      values.json
        ? JSON.stringify(rows, null, 2)
        : `baseline: ${rows.length} setting(s) of ${meters} meter(s) recorded`,
    );
    return 0;
  }
  if (action === 'cross-check') {
    const seconds = values.seconds === undefined ? undefined : int(values.seconds, 'seconds', 2, 600);
    const mainUid = values.main === undefined ? undefined : int(values.main, 'main', 1, 2 ** 31 - 1);
    const p1Uid = values.p1 === undefined ? undefined : int(values.p1, 'p1', 1, 2 ** 31 - 1);
    io.err(`reading the P1 meter and the main meter together for ${seconds ?? DEFAULT_CROSS_SECONDS} s…`);
    const r = await engine.siteCrossCheck({
      ...(seconds !== undefined ? { seconds } : {}),
      ...(mainUid !== undefined ? { mainUid } : {}),
      ...(p1Uid !== undefined ? { p1Uid } : {}),
    });
    if (values.json) io.out(JSON.stringify(r, null, 2));
    else io.out(describeCrossCheck(r).join('\n'));
    if (!r.ok) throw new OperationError(`the main meter and the P1 meter do not agree (${r.verdict})`);
    return 0;
  }
  if (action === 'drift') {
    const r = await drift(engine.site);
    if (r.baselineAt === null)
      throw new OperationError('no baseline yet: record one with `site baseline` at hand-over');
    if (values.json) io.out(JSON.stringify(r, null, 2));
    else if (!r.changes.length)
      io.out(`no change since the baseline of ${new Date(r.baselineAt).toISOString()}`);
    else
      for (const c of r.changes)
        io.out(`${c.label}: ${c.key} ${c.baseline ?? '?'} → ${c.now ?? `(not readable: ${c.error ?? '?'})`}`);
    return r.changes.length ? 1 : 0;
  }
  if (action === 'check-wiring') {
    const reports = await engine.site.checkWiring();
    if (!reports.length)
      throw new OperationError('no Modbus meter is configured: run `site write-plan` first');
    if (values.json) io.out(JSON.stringify(reports, null, 2));
    else
      for (const r of reports) {
        io.out(`${r.ok ? 'OK  ' : 'FAIL'} ${r.summary}`);
        for (const f of r.findings) io.out(`     ${f.severity}: ${f.message}${f.fix ? ` — ${f.fix}` : ''}`);
      }
    if (!reports.every((r) => r.ok)) throw new OperationError('a wiring check found a problem');
    return 0;
  }
  if (action === 'check') {
    let scan;
    if (typeof values.scan === 'string') {
      try {
        scan = readScanFile(readFileSync(values.scan, 'utf8'), values.scan);
      } catch (e) {
        throw new OperationError((e as Error).message.split('\n').join(' '));
      }
    }
    const check = await engine.site.checkPlan({ scan });
    io.out(values.json ? JSON.stringify(check, null, 2) : describeCheck(check).join('\n'));
    if (!check.ok) throw new OperationError('the wire does not match the plan');
    return 0;
  }
  const who = typeof values.who === 'string' && values.who ? values.who : (process.env.USER ?? 'cli');
  const report = await engine.site.writePlan(who);
  io.out(values.json ? JSON.stringify(report, null, 2) : describeWrite(report).join('\n'));
  if (!report.ok) throw new OperationError('not every planned meter was written');
  return 0;
}
