import { REPORT_CSS } from './report-css.js';
import type { ReportData, ReportDevice } from './report-types.js';

/**
 * The commissioning report as one self-contained HTML document: data in, text out, nothing read or
 * fetched. Every string from the site, the meters or the audit log goes through `esc`.
 */
export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** "2026-12-02 17:40 UTC": one clock for every reader of the report. */
export function when(t: number): string {
  if (!t) return '-';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const num = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : String(Number(v.toFixed(digits)));

const verdict = (ok: boolean | null, okText = 'PASS', badText = 'FAIL'): string =>
  ok === null
    ? '<span class="muted">-</span>'
    : ok
      ? `<span class="pass">${okText}</span>`
      : `<span class="fail">${badText}</span>`;

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
  /** Column widths in mm (a fixed layout), for wide tables. */
  widths?: readonly number[],
): string {
  if (!rows.length) return '<p class="muted">None recorded.</p>';
  const cols = widths
    ? `<colgroup>${widths.map((w) => `<col style="width:${w}mm">`).join('')}</colgroup>`
    : '';
  const cell = (c: string, i: number) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`;
  const fixed = widths ? ` class="fixed" style="width:${widths.reduce((a, w) => a + w, 0)}mm"` : '';
  return `<table${fixed}>${cols}<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function header(d: ReportData): string {
  const s = d.site;
  const info: [string, string][] = [
    ['Site', s.name],
    ['Address', s.address],
    ['Customer', s.customer],
    ['Installer', s.installer],
    ['Date', when(d.generatedAt)],
    ...(s.notes ? ([['Notes', s.notes]] as [string, string][]) : []),
  ];
  return `<header><h1>Commissioning report</h1><dl class="info">${info
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v) || '<span class="muted">-</span>'}</dd>`)
    .join('')}</dl></header>`;
}

function summary(d: ReportData): string {
  const lastStep = new Map(d.loadSteps.map((r) => [r.uid, r]));
  const lastWiring = new Map(d.wiringChecks.map((w) => [w.uid, w]));
  const failedWrites = d.writes.filter((w) => !['ok', 'unchanged', 'unverified'].includes(w.outcome));
  const lastCross = d.crossChecks.at(-1);
  const rows: [string, boolean | null, string][] = [
    [
      'Plan against the wire',
      d.planCheck ? d.planCheck.ok : null,
      d.planCheck
        ? `${d.planCheck.matches.filter((m) => m.outcome === 'ok').length} of ${d.planCheck.matches.length} planned device(s) right, ${d.planCheck.unplanned.length} unplanned`
        : 'not checked',
    ],
    [
      'Settings written',
      d.writes.length ? !failedWrites.length : null,
      `${d.writes.length} write(s), ${failedWrites.length} not confirmed`,
    ],
    [
      'Wiring checks',
      lastWiring.size ? [...lastWiring.values()].every((w) => w.report.ok) : null,
      `${lastWiring.size} meter(s) checked`,
    ],
    [
      'Load-step tests',
      lastStep.size ? [...lastStep.values()].every((r) => r.ok) : null,
      `${lastStep.size} meter(s) tested`,
    ],
    [
      'Cross-check with the utility meter',
      lastCross ? lastCross.ok : null,
      lastCross ? String(lastCross.doc.message ?? '') : 'not done',
    ],
    [
      'Bus health',
      d.health.length ? d.health.every((h) => h.errors === 0) : null,
      `${d.health.reduce((a, h) => a + h.requests, 0)} request(s), ${d.health.reduce((a, h) => a + h.errors, 0)} error(s)`,
    ],
  ];
  return `<section class="summary"><h2>Summary</h2>${table(
    ['Check', 'Result', 'Detail'],
    rows.map(([name, ok, detail]) => [esc(name), verdict(ok), esc(detail)]),
  )}</section>`;
}

function devices(list: readonly ReportDevice[]): string {
  const line = (k: string, v: string | null) => `<span class="muted">${k}</span> ${esc(v ?? '-')}`;
  return `<section><h2>Devices</h2>${table(
    ['Device', 'Model', 'Identity', 'Wiring, address and bus'],
    list.map((x) => [
      `<b>${esc(x.label)}</b><br><span class="muted">${esc(x.role ?? '-')}</span>`,
      `${esc(x.modelName ?? x.model ?? '-')}${x.modelName && x.model ? `<br><span class="muted">${esc(x.model)}</span>` : ''}`,
      [line('Part no.', x.partNumber), line('Serial', x.serialNumber), line('Firmware', x.firmware)].join(
        '<br>',
      ),
      [line('System', x.system), line('Address', x.address || null), esc(x.bus)].join('<br>'),
    ]),
    [],
    [30, 48, 50, 50],
  )}</section>`;
}

function planCheck(d: ReportData): string {
  const c = d.planCheck;
  if (!c) return '<section><h2>Plan against the wire</h2><p class="muted">Not checked.</p></section>';
  const outcome = { ok: 'FOUND, RIGHT', differs: 'DIFFERS', missing: 'MISSING' } as const;
  const rows = c.matches.map((m) => [
    esc(m.label),
    m.outcome === 'ok'
      ? `<span class="pass">${outcome.ok}</span>`
      : `<span class="fail">${outcome[m.outcome]}</span>`,
    m.wire
      ? esc(
          `${m.wire.modelName ?? m.wire.model ?? m.wire.kind}, ${m.wire.bus}${m.wire.unit !== undefined ? ` unit ${m.wire.unit}` : ''}${m.matchedBy === 'serial' ? ' (by serial number)' : ''}`,
        )
      : '-',
    m.differences
      .map((x) => esc(`${x.field}: planned ${x.planned}, found ${x.found ?? 'not readable'}`))
      .join('<br>') || '-',
  ]);
  for (const w of c.unplanned)
    rows.push([
      '<i>not planned</i>',
      '<span class="fail">UNPLANNED</span>',
      esc(
        `${w.modelName ?? w.model ?? w.kind}, ${w.bus}${w.unit !== undefined ? ` unit ${w.unit}` : ''}${w.serialNumber ? `, s/n ${w.serialNumber}` : ''}`,
      ),
      '-',
    ]);
  return `<section><h2>Plan against the wire</h2><p class="note">Checked ${esc(when(c.at))}.</p>${table(
    ['Planned device', 'Outcome', 'Found', 'Differences'],
    rows,
  )}${c.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')}</section>`;
}

function writes(d: ReportData): string {
  return `<section><h2>Settings written</h2><p class="note">Every write is read back from the meter; old → new as the meter held it.</p>${table(
    ['When', 'Device', 'Setting', 'Old → new', 'Read back', 'Outcome', 'Who'],
    d.writes.map((w) => [
      esc(when(w.t)),
      esc(w.device),
      esc(w.key),
      `${esc(num(w.old, 4))} → ${esc(num(w.new, 4))}`,
      esc(num(w.readback, 4)),
      ['ok', 'unchanged'].includes(w.outcome)
        ? `<span class="pass">${esc(w.outcome)}</span>`
        : `<span class="fail">${esc(w.outcome)}</span>${w.message ? `<br>${esc(w.message)}` : ''}`,
      esc(w.who),
    ]),
    [3, 4],
    [30, 28, 30, 24, 18, 24, 24],
  )}</section>`;
}

function wiring(d: ReportData): string {
  return `<section><h2>Wiring checks</h2>${table(
    ['When', 'Device', 'Result', 'Findings'],
    d.wiringChecks.map((w) => [
      esc(when(w.t)),
      esc(w.label),
      verdict(w.report.ok),
      w.report.findings.length
        ? w.report.findings
            .map((f) => `${esc(f.severity)}: ${esc(f.message)}${f.fix ? ` — ${esc(f.fix)}` : ''}`)
            .join('<br>')
        : esc(w.report.summary),
    ]),
    [],
    [24, 28, 14, 112],
  )}</section>`;
}

function loadSteps(d: ReportData): string {
  const parts = d.loadSteps.map(
    (r) =>
      `<h3>${esc(r.label)} — ${verdict(r.ok)} <span class="muted">(${esc(when(r.at))}; expected step ${esc(num(r.expectedW, 0))} W ± ${esc(num(r.tolerance * 100, 0))} %${r.ctRatio !== null ? `; meter CT ratio ${esc(num(r.ctRatio, 2))}` : ''})</span></h3>${table(
        ['Load on', 'Seen on', 'ΔP (W)', 'PF', 'Size', 'Result', 'Fix'],
        r.steps.map((s) => [
          `L${s.phase}`,
          s.seenOn ? `CT${s.seenOn}` : '-',
          esc(num(s.deltaW, 0)),
          esc(num(s.pf, 2)),
          `${esc(num(s.ratio * 100, 0))} %`,
          `${verdict(s.ok)} ${esc(s.verdicts.join(', '))}<br>${esc(s.message)}`,
          s.fixes.map(esc).join('<br>') || '-',
        ]),
        [2, 3, 4],
        [12, 13, 16, 12, 14, 55, 56],
      )}`,
  );
  return `<section><h2>Load-step tests</h2>${parts.join('') || '<p class="muted">None recorded.</p>'}</section>`;
}

function crossChecks(d: ReportData): string {
  const n = (v: unknown, digits = 0): string => esc(num(typeof v === 'number' ? v : null, digits));
  return `<section><h2>Cross-check with the utility meter</h2><p class="note">The P1 (utility) meter and the main meter read together over the same window; they agree within 5 % of the P1 reading, at least 50 W. Power in W, positive is import.</p>${table(
    ['When', 'Meters', 'P1 W', 'Main W', 'Factor', 'Energy (Wh)', 'Result', 'Fix'],
    d.crossChecks.map((c) => {
      const x = c.doc;
      const e = x.energy;
      return [
        `${esc(when(c.t))}${x.seconds !== undefined ? `<br><span class="muted">${n(x.seconds)} s</span>` : ''}`,
        `${esc(x.main?.label ?? '-')}<br><span class="muted">against ${esc(x.p1?.label ?? '-')}</span>`,
        n(x.p1W),
        n(x.mainW),
        x.factor === null || x.factor === undefined ? '-' : `×${n(x.factor, 2)}`,
        e && e.p1Wh !== null && e.p1Wh !== undefined
          ? `P1 ${n(e.p1Wh, 1)}, main ${n(e.mainWh, 1)}${e.compared ? '' : '<br><span class="muted">too little to compare</span>'}`
          : '-',
        `${verdict(c.ok)} ${esc(x.verdict ?? '')}<br>${esc(x.message ?? '')}`,
        (x.fixes ?? []).map(esc).join('<br>') || '-',
      ];
    }),
    [2, 3, 4],
    [22, 28, 13, 13, 13, 20, 40, 29],
  )}</section>`;
}

function health(d: ReportData): string {
  return `<section><h2>Bus health during commissioning</h2><p class="note">Requests the tool made while commissioning, per device; max is the slowest reply seen.</p>${table(
    ['Device', 'Bus', 'Unit', 'Requests', 'Errors', 'Timeouts', 'CRC', 'Exceptions', 'Mean ms', 'Max ms'],
    d.health.map((h) => [
      esc(h.device),
      esc(h.bus),
      String(h.unit),
      String(h.requests),
      h.errors ? `<span class="fail">${h.errors}</span>` : '0',
      String(h.timeouts),
      String(h.crcErrors),
      String(h.exceptions),
      esc(num(h.meanMs, 1)),
      esc(num(h.maxMs, 1)),
    ]),
    [2, 3, 4, 5, 6, 7, 8, 9],
    [26, 42, 10, 16, 13, 16, 10, 17, 14, 14],
  )}</section>`;
}

function values(d: ReportData): string {
  const parts = d.values.map(
    (v) =>
      `<h3>${esc(v.label)} <span class="muted">(${esc(when(v.t))})</span></h3>${table(
        ['Value', 'Reading', 'Unit'],
        v.rows.map((r) => [esc(r.name), esc(num(r.value, 2)), esc(r.unit)]),
        [1],
      )}`,
  );
  return `<section><h2>Main values at commissioning</h2>${parts.join('') || '<p class="muted">No reading recorded.</p>'}</section>`;
}

function signatures(d: ReportData): string {
  return `<section class="signatures"><h2>Signatures</h2><p class="note">The installation was commissioned and checked as recorded above.</p><div class="sign"><div>Installer: ${esc(d.site.installer)}<br>Date, signature</div><div>Customer: ${esc(d.site.customer)}<br>Date, signature</div></div></section>`;
}

export function renderReportHtml(d: ReportData): string {
  const title = `Commissioning report — ${d.site.name}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style></head>
<body>
${header(d)}
${summary(d)}
${devices(d.devices)}
${planCheck(d)}
${writes(d)}
${wiring(d)}
${loadSteps(d)}
${crossChecks(d)}
${health(d)}
${values(d)}
${signatures(d)}
<footer>EMS Commissioner${d.appVersion ? ` ${esc(d.appVersion)}` : ''} · generated ${esc(when(d.generatedAt))}</footer>
</body></html>
`;
}
