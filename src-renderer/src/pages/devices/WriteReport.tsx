import { useTranslation } from 'react-i18next';
import type { ConfigField, ConfigWriteReport } from '../../../../src-preload/contract/index.js';
import { formatDateTime, formatNumber } from '../../components/format.js';
import { useEscape } from '../../components/keys.js';
import { GOOD_OUTCOMES, OUTCOME_KEY, shown } from './config-format.js';

/** What a write did, setting by setting: old → new, what the meter reads back, and the outcome in words. */
export function WriteReport({
  report,
  fields,
  onClose,
}: {
  report: ConfigWriteReport;
  fields: ConfigField[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  useEscape(onClose);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  return (
    <div
      className={`write-report ${report.ok ? 'ok' : 'err'}`}
      data-testid="write-report"
      role={report.ok ? 'status' : 'alert'}
    >
      <div className="write-report-head">
        <div>
          <strong>{report.ok ? t('devices.report.ok') : t('devices.report.partial')}</strong> {report.message}
        </div>
        <button type="button" className="link" onClick={onClose} aria-label={t('common.dismiss')}>
          ×
        </button>
      </div>
      {report.resolved.map((e) => {
        const f = byKey.get(e.key);
        const values = {
          label: f?.label ?? e.key,
          when: formatDateTime(e.t),
          who: e.who,
          value: f ? shown(f, e.readBack) : formatNumber(e.readBack),
        };
        return (
          <div key={`${e.key}-${e.t}`} className="small" data-testid="write-earlier">
            {t(e.reached ? 'devices.report.earlierReached' : 'devices.report.earlierMissed', values)}
          </div>
        );
      })}
      <table className="table">
        <thead>
          <tr>
            <th>{t('devices.config.setting')}</th>
            <th>{t('devices.report.oldNew')}</th>
            <th>{t('devices.report.readBack')}</th>
            <th>{t('devices.report.result')}</th>
          </tr>
        </thead>
        <tbody>
          {report.results.map((r) => {
            const f = byKey.get(r.key);
            const fmt = (v: number | null): string => (f ? shown(f, v) : formatNumber(v));
            return (
              <tr key={r.key} data-outcome={r.outcome}>
                <td>{r.label}</td>
                <td className="mono nowrap">
                  {fmt(r.old)} → {fmt(r.requested)}
                </td>
                <td className="mono nowrap">{fmt(r.readBack)}</td>
                <td className={GOOD_OUTCOMES.has(r.outcome) ? 'text-ok' : 'text-err'}>
                  <div className="strong">{t(OUTCOME_KEY[r.outcome])}</div>
                  {r.message && <div className="small">{r.message}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
