import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriftView, SiteReportHtmlView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime } from '../../components/dates.js';
import { useEscape } from '../../components/keys.js';
import { Notice } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { download, formatSetting } from './plan-draft.js';

/** Hand-over: the baseline of every meter's settings, the changes since, and the report. */
export function HandOver({
  baselineAt,
  baselineSettings,
  onBaseline,
}: {
  baselineAt: number | null;
  baselineSettings: number;
  onBaseline: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [taken, setTaken] = useState<{ meters: number; settings: number } | null>(null);
  const [driftView, setDrift] = useState<DriftView | null>(null);
  const [report, setReport] = useState<SiteReportHtmlView | null>(null);
  const baseline = async (): Promise<void> => {
    const r = await action.run(() => call(api, 'site.baseline'));
    if (r) {
      setTaken(r);
      setDrift(null);
      onBaseline();
    }
  };
  const drift = async (): Promise<void> => {
    const r = await action.run(() => call(api, 'site.drift'));
    if (r) setDrift(r);
  };
  const view = async (): Promise<void> => {
    const r = await action.run(() => call(api, 'site.report'));
    if (r) setReport(r);
  };
  const pdf = async (): Promise<void> => {
    const r = await action.run(() => call(api, 'site.reportPdf'));
    if (!r) return;
    const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
    download(r.fileName, bytes, 'application/pdf');
  };
  return (
    <div data-testid="hand-over">
      <p className="small muted">
        {baselineAt === null
          ? t('site.handover.noBaseline')
          : t('site.handover.baselineOf', { when: formatDateTime(baselineAt), count: baselineSettings })}
      </p>
      <div className="button-row">
        <button type="button" className="btn" disabled={action.busy} onClick={() => void baseline()}>
          {t('site.handover.take')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy || baselineAt === null}
          onClick={() => void drift()}
        >
          {t('site.handover.drift')}
        </button>
        <button type="button" className="btn" disabled={action.busy} onClick={() => void view()}>
          {t('site.report.view')}
        </button>
        <button type="button" className="btn" disabled={action.busy} onClick={() => void pdf()}>
          {t('site.report.pdf')}
        </button>
      </div>
      {action.busy && <p className="small muted">{t('site.working')}</p>}
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      {taken && (
        <Notice tone="ok" onClose={() => setTaken(null)}>
          {t('site.handover.taken', { settings: taken.settings, meters: taken.meters })}
        </Notice>
      )}
      {driftView && (
        <div data-testid="drift">
          {driftView.changes.length === 0 ? (
            <p className="text-ok">{t('site.handover.noChange')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('site.step.meter')}</th>
                  <th>{t('site.write.setting')}</th>
                  <th>{t('site.handover.atBaseline')}</th>
                  <th>{t('site.handover.now')}</th>
                </tr>
              </thead>
              <tbody>
                {driftView.changes.map((c) => (
                  <tr key={`${c.did} ${c.key}`} data-testid="drift-row">
                    <td>{c.label}</td>
                    <td className="mono">{c.key}</td>
                    <td className="mono">{formatSetting(c.baseline)}</td>
                    <td className="mono">
                      {c.now !== null
                        ? formatSetting(c.now)
                        : t('site.handover.unreadable', { why: c.error ?? '' })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {report && <ReportDialog report={report} onClose={() => setReport(null)} />}
    </div>
  );
}

/** The report as the engine renders it, in a sandboxed frame (no script runs in it). */
function ReportDialog({ report, onClose }: { report: SiteReportHtmlView; onClose: () => void }) {
  const { t } = useTranslation();
  useEscape(onClose);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog dialog-wide"
        role="dialog"
        aria-modal="true"
        aria-label={t('site.report.title')}
        onClick={(e) => e.stopPropagation()}
      >
        <div className="dialog-head">
          <h2>{t('site.report.title')}</h2>
          <button type="button" className="link" onClick={onClose} aria-label={t('common.dismiss')}>
            ×
          </button>
        </div>
        <iframe
          className="report-frame"
          data-testid="report-frame"
          title={t('site.report.title')}
          sandbox=""
          srcDoc={report.html}
        />
      </div>
    </div>
  );
}
