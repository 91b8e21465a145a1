import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CrossCheckView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatNumber } from '../../components/format.js';
import { Badge, Field, Notice } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

const WINDOWS = [10, 30, 60] as const;

/**
 * The cross-check with the utility meter: the P1 meter and the main meter read together over a
 * window; the verdict and its fix in the technician's language, from the engine's numbers.
 */
export function CrossCheck() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [seconds, setSeconds] = useState<number>(60);
  const [result, setResult] = useState<CrossCheckView | null>(null);
  const run = async (): Promise<void> => {
    setResult(null);
    const r = await action.run(() => call(api, 'site.crossCheck', { seconds }));
    if (r) setResult(r);
  };
  return (
    <div data-testid="cross-check">
      <p className="small muted">{t('site.cross.intro')}</p>
      <div className="button-row">
        <Field label={t('site.cross.window')}>
          <select value={seconds} disabled={action.busy} onChange={(e) => setSeconds(Number(e.target.value))}>
            {WINDOWS.map((s) => (
              <option key={s} value={s}>
                {t('site.cross.seconds', { s })}
              </option>
            ))}
          </select>
        </Field>
        <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => void run()}>
          {t('site.cross.run')}
        </button>
        {action.busy && <span className="small muted">{t('site.cross.reading', { s: seconds })}</span>}
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      {result && <CrossResult r={result} />}
    </div>
  );
}

function CrossResult({ r }: { r: CrossCheckView }) {
  const { t } = useTranslation();
  const w = (v: number): string => formatNumber(Math.round(v));
  const headline = (): string => {
    switch (r.verdict) {
      case 'agree':
        return t('site.cross.agree', { diff: w(Math.abs(r.diffW)) });
      case 'sign':
        return r.reversedPhases.length
          ? t('site.cross.signPhases', { phases: r.reversedPhases.map((p) => `L${p}`).join(', ') })
          : t('site.cross.sign');
      case 'ratio':
        return t('site.cross.ratio', { factor: formatNumber(r.factor ?? 0) });
      case 'differs':
        return r.diffPct !== null
          ? t('site.cross.differs', { pct: formatNumber(Math.abs(r.diffPct)) })
          : t('site.cross.differsW', { w: w(Math.abs(r.diffW)) });
      default:
        return r.samples === 0 ? t('site.cross.noReading') : t('site.cross.tooLittle');
    }
  };
  const fixes = (): string[] => {
    switch (r.verdict) {
      case 'sign':
        return r.reversedPhases.length
          ? r.reversedPhases.map((ct) => t('site.cross.fixPhase', { ct }))
          : [t('site.cross.fixSign')];
      case 'ratio':
        return [
          r.setCtRatio !== null && r.ctRatio !== null
            ? t('site.cross.fixRatioSet', {
                to: formatNumber(r.setCtRatio),
                now: formatNumber(r.ctRatio),
              })
            : t('site.cross.fixRatio'),
        ];
      case 'differs':
        return [t('site.cross.fixDiffers')];
      case 'inconclusive':
        return [r.samples === 0 ? t('site.cross.fixNoReading') : t('site.cross.fixTooLittle')];
      default:
        return [];
    }
  };
  return (
    <div data-testid="cross-result" data-verdict={r.verdict}>
      <p className={r.ok ? 'text-ok strong' : 'text-err strong'}>
        <Badge tone={r.ok ? 'ok' : 'err'}>{t(`site.cross.verdict.${r.verdict}`)}</Badge> {headline()}
      </p>
      <p className="small muted">
        {t('site.cross.tolerance', {
          main: r.main.label,
          p1: r.p1.label,
          n: r.samples,
          s: r.seconds,
          tol: w(r.toleranceW),
        })}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('site.cross.what')}</th>
            <th>{t('site.cross.p1W')}</th>
            <th>{t('site.cross.mainW')}</th>
            <th>{t('site.cross.factor')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="cross-total">
            <td>{t('site.cross.total')}</td>
            <td className="num">{w(r.p1W)}</td>
            <td className="num">{w(r.mainW)}</td>
            <td className="num">{r.factor !== null ? `×${formatNumber(r.factor)}` : '—'}</td>
          </tr>
          {r.phases.map((p) => (
            <tr key={p.phase}>
              <td>L{p.phase}</td>
              <td className="num">{w(p.p1W)}</td>
              <td className="num">{w(p.mainW)}</td>
              <td className="num">{p.factor !== null ? `×${formatNumber(p.factor)}` : '—'}</td>
            </tr>
          ))}
          {r.energy.p1Wh !== null && (
            <tr>
              <td>{t('site.cross.energy')}</td>
              <td className="num">{formatNumber(r.energy.p1Wh)}</td>
              <td className="num">{r.energy.mainWh !== null ? formatNumber(r.energy.mainWh) : '—'}</td>
              <td className="small muted">
                {r.energy.compared
                  ? t(r.energy.ok ? 'site.cross.energyAgree' : 'site.cross.energyDiffer', {
                      tol: formatNumber(r.energy.toleranceWh),
                    })
                  : t('site.cross.energyTooLittle')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {fixes().length > 0 && (
        <ul className="plain" data-testid="cross-fixes">
          {fixes().map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
