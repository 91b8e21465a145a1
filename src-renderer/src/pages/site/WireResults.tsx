import { useTranslation } from 'react-i18next';
import type {
  PlanCheckView,
  PlanDifferenceView,
  WireDeviceView,
  WritePlanView,
} from '../../../../src-preload/contract/index.js';
import { Badge } from '../../components/ui.js';
import { formatSetting } from './plan-draft.js';

const where = (w: WireDeviceView): string =>
  `${w.bus}${w.unit !== undefined ? ` · ${w.unit}` : w.mbusAddress !== undefined ? ` · ${w.mbusAddress}` : ''}`;
const value = (v: string | number | null): string => (typeof v === 'number' ? formatSetting(v) : (v ?? '—'));

function Difference({ d }: { d: PlanDifferenceView }) {
  const { t } = useTranslation();
  const known = ['model', 'system', 'ct_ratio', 'firmware', 'serial', 'address'] as const;
  const field = (known as readonly string[]).includes(d.field)
    ? t(`site.field.${d.field as (typeof known)[number]}`)
    : d.field;
  return <li>{t('site.check.difference', { field, planned: value(d.planned), found: value(d.found) })}</li>;
}

/** Each planned device against the wire (right / differences named / missing) and what is unplanned. */
export function PlanCheckResult({ check }: { check: PlanCheckView }) {
  const { t } = useTranslation();
  return (
    <div data-testid="plan-check">
      <p className={check.ok ? 'text-ok' : 'text-err'}>
        {check.ok ? t('site.check.allRight') : t('site.check.notRight')}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('site.plan.label')}</th>
            <th>{t('site.check.outcome')}</th>
            <th>{t('site.check.found')}</th>
            <th>{t('site.check.differences')}</th>
          </tr>
        </thead>
        <tbody>
          {check.matches.map((m) => (
            <tr key={m.index} data-testid="check-row" data-outcome={m.outcome}>
              <td>{m.label}</td>
              <td>
                <Badge tone={m.outcome === 'ok' ? 'ok' : m.outcome === 'differs' ? 'warn' : 'err'}>
                  {t(`site.outcome.${m.outcome}`)}
                </Badge>
              </td>
              <td className="small">
                {m.wire && (
                  <>
                    {m.wire.modelName ?? m.wire.model ?? t(`site.kind.${m.wire.kind}`)} · {where(m.wire)}
                    {m.wire.serialNumber && ` · ${t('site.check.serial', { serial: m.wire.serialNumber })}`}
                    {m.matchedBy === 'serial' && ` (${t('site.check.bySerial')})`}
                  </>
                )}
              </td>
              <td>
                <ul className="plain">
                  {m.differences.map((d) => (
                    <Difference key={d.field} d={d} />
                  ))}
                </ul>
              </td>
            </tr>
          ))}
          {check.unplanned.map((w, i) => (
            <tr key={`u${i}`} data-testid="check-row" data-outcome="unplanned">
              <td className="muted">—</td>
              <td>
                <Badge tone="info">{t('site.outcome.unplanned')}</Badge>
              </td>
              <td className="small">
                {w.modelName ?? w.model ?? t(`site.kind.${w.kind}`)} · {where(w)}
                {w.serialNumber && ` · ${t('site.check.serial', { serial: w.serialNumber })}`}
              </td>
              <td className="small muted">{t('site.check.unplannedHint')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {check.notes.map((n) => (
        <p key={n} className="small muted">
          {t('site.check.note', { note: n })}
        </p>
      ))}
    </div>
  );
}

/** The write-plan job: per meter what happened, per setting old → new and what the meter read back. */
export function WritePlanResult({ report }: { report: WritePlanView }) {
  const { t } = useTranslation();
  return (
    <div data-testid="write-plan">
      <p className={report.ok ? 'text-ok' : 'text-err'}>
        {report.ok ? t('site.write.allDone') : t('site.write.notAll')}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('site.plan.label')}</th>
            <th>{t('site.write.setting')}</th>
            <th>{t('site.write.oldNew')}</th>
            <th>{t('site.write.readBack')}</th>
            <th>{t('site.write.result')}</th>
          </tr>
        </thead>
        <tbody>
          {report.meters.flatMap((m) => {
            const head = (
              <tr key={`m${m.index}`} data-testid="write-meter">
                <td className="strong">{m.label}</td>
                <td colSpan={4} className="small">
                  {m.write
                    ? m.write.ok
                      ? t('site.write.written')
                      : t('site.write.failed')
                    : m.skipped
                      ? t('site.write.skipped', { why: m.skipped })
                      : t('site.write.nothing')}
                  {m.added && ` · ${t('site.write.added')}`}
                </td>
              </tr>
            );
            return [
              head,
              ...(m.write?.results ?? []).map((r) => (
                <tr key={`m${m.index}-${r.key}`} data-testid="write-setting" data-outcome={r.outcome}>
                  <td />
                  <td>{r.label}</td>
                  <td className="mono nowrap">
                    {formatSetting(r.old)} → {formatSetting(r.requested)}
                  </td>
                  <td className="mono nowrap">{formatSetting(r.readBack)}</td>
                  <td className={['ok', 'unchanged'].includes(r.outcome) ? 'text-ok' : 'text-err'}>
                    <div>{t(`site.writeOutcome.${r.outcome}`)}</div>
                    {r.message && <div className="small">{r.message}</div>}
                  </td>
                </tr>
              )),
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
