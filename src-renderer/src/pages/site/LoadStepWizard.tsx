import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  LoadStepView,
  PhaseSnapshotView,
  StepResultView,
} from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatNumber } from '../../components/format.js';
import { Badge, Field, Notice } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useStoreVersion } from '../../state/store-context.js';
import { numberOrUndefined } from './plan-draft.js';

type Phase = 1 | 2 | 3;
interface Step {
  phase: Phase;
  before: PhaseSnapshotView;
  during: PhaseSnapshotView;
  after: PhaseSnapshotView;
}
/** The step under way: its phase, the reading before, and the one during once the load is on. */
type Current = { phase: Phase; before: PhaseSnapshotView; during?: PhaseSnapshotView };

/**
 * The load-step test, guided: the technician switches a known resistive load on L1, off, on L2, off,
 * on L3, off; the meter is read before, during and after each step, then the engine says per phase
 * which CT saw it, with what sign and size, and what to fix.
 */
export function LoadStepWizard() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const store = useStoreVersion();
  const meters = store.tree.filter((d) => d.protocol === 'rtu' || d.protocol === 'tcp');
  const [uid, setUid] = useState<number | null>(null);
  const [watts, setWatts] = useState('2000');
  const [demo, setDemo] = useState(false);
  const [cur, setCur] = useState<Current | null>(null);
  const [done, setDone] = useState<Step[]>([]);
  const [result, setResult] = useState<LoadStepView | null>(null);
  const meter = uid ?? meters[0]?.uid ?? null;
  const expectedW = numberOrUndefined(watts) ?? 0;
  const snap = (): Promise<PhaseSnapshotView> => call(api, 'site.stepSnapshot', { uid: meter ?? 0 });
  const demoSwitch = async (phase: Phase, on: boolean): Promise<void> => {
    if (demo) await call(api, 'site.demoLoad', { phase, watts: on ? expectedW : 0 });
  };

  const start = async (): Promise<void> => {
    setResult(null);
    setDone([]);
    const before = await action.run(snap);
    if (before) setCur({ phase: 1, before });
  };
  const next = async (): Promise<void> => {
    if (!cur || meter === null) return;
    if (!cur.during) {
      const during = await action.run(async () => (await demoSwitch(cur.phase, true), snap()));
      if (during) setCur({ ...cur, during });
      return;
    }
    const after = await action.run(async () => (await demoSwitch(cur.phase, false), snap()));
    if (!after) return;
    const all = [...done, { phase: cur.phase, before: cur.before, during: cur.during, after }];
    if (cur.phase < 3) {
      // The reading after one step is the reading before the next.
      setDone(all);
      setCur({ phase: (cur.phase + 1) as Phase, before: after });
      return;
    }
    setCur(null);
    setDone([]);
    const r = await action.run(() => call(api, 'site.stepEvaluate', { uid: meter, steps: all, expectedW }));
    if (r) setResult(r);
  };
  const cancel = (): void => {
    if (cur && demo) void demoSwitch(cur.phase, false);
    setCur(null);
    setDone([]);
  };

  return (
    <div data-testid="load-step">
      <p className="small muted">{t('site.step.intro')}</p>
      <div className="form-grid">
        <Field label={t('site.step.meter')}>
          <select
            value={meter ?? ''}
            disabled={cur !== null}
            onChange={(e) => setUid(Number(e.target.value))}
          >
            {meters.map((d) => (
              <option key={d.uid} value={d.uid}>
                {d.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('site.step.power')} hint={t('site.step.powerHint')}>
          <input
            inputMode="decimal"
            value={watts}
            disabled={cur !== null}
            onChange={(e) => setWatts(e.target.value)}
          />
        </Field>
        {store.info?.demo && (
          <label className="check">
            <input type="checkbox" checked={demo} onChange={(e) => setDemo(e.target.checked)} />
            {t('site.step.demoSwitch')}
          </label>
        )}
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      {!cur ? (
        <button
          type="button"
          className="btn btn-primary"
          disabled={meter === null || expectedW < 100 || action.busy}
          onClick={() => void start()}
        >
          {t('site.step.start')}
        </button>
      ) : (
        <div className="step-prompt" role="status" data-testid="step-prompt">
          <p className="strong">
            {!cur.during
              ? t('site.step.switchOn', { w: formatNumber(expectedW), phase: cur.phase })
              : t('site.step.switchOff', { phase: cur.phase })}
          </p>
          <button
            type="button"
            className="btn btn-primary"
            disabled={action.busy}
            onClick={() => void next()}
          >
            {!cur.during ? t('site.step.isOn') : t('site.step.isOff')}
          </button>{' '}
          <button type="button" className="btn btn-ghost" onClick={cancel}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {result && <StepResults result={result} />}
    </div>
  );
}

function StepResults({ result }: { result: LoadStepView }) {
  const { t } = useTranslation();
  const fixes = useFixes();
  return (
    <div data-testid="step-result">
      <p className={result.ok ? 'text-ok strong' : 'text-err strong'}>
        {result.ok
          ? t('site.step.passed', { label: result.label })
          : t('site.step.failed', { label: result.label })}
      </p>
      <p className="small muted">
        {t('site.step.tolerance', {
          w: formatNumber(result.expectedW),
          pct: Math.round(result.tolerance * 100),
        })}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('site.step.phase')}</th>
            <th>{t('site.step.seenOn')}</th>
            <th>{t('site.step.deltaW')}</th>
            <th>{t('site.step.pf')}</th>
            <th>{t('site.step.size')}</th>
            <th>{t('site.step.verdict')}</th>
            <th>{t('site.step.fix')}</th>
          </tr>
        </thead>
        <tbody>
          {result.steps.map((s) => (
            <tr key={s.phase} data-testid="step-row" data-ok={s.ok}>
              <td>L{s.phase}</td>
              <td>{s.seenOn ? t('site.step.ct', { n: s.seenOn }) : '—'}</td>
              <td className="num">{formatNumber(s.deltaW)}</td>
              <td className="num">{formatNumber(s.pf)}</td>
              <td className="num">{Math.round(s.ratio * 100)} %</td>
              <td>
                {s.verdicts.map((v) => (
                  <Badge key={v} tone={v === 'pass' ? 'ok' : 'err'}>
                    {t(`site.verdict.${v}`)}
                  </Badge>
                ))}
              </td>
              <td>
                <ul className="plain">
                  {fixes(s, result).map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The fix of each verdict in the technician's language, from the step's own numbers. */
function useFixes(): (s: StepResultView, r: LoadStepView) => string[] {
  const { t } = useTranslation();
  return (s, r) => {
    const j = s.seenOn;
    const out: string[] = [];
    for (const v of s.verdicts) {
      if (v === 'no-step') out.push(t('site.fix.noStep', { phase: s.phase }));
      if (j === null) continue;
      if (v === 'wrong-phase') out.push(t('site.fix.wrongPhase', { ct: j, phase: s.phase }));
      if (v === 'reversed') out.push(t('site.fix.reversed', { ct: j }));
      if (v === 'ratio')
        out.push(
          r.ctRatio !== null && s.ratio > 0
            ? t('site.fix.ratioSet', {
                pct: Math.round(s.ratio * 100),
                to: formatNumber(Math.round((r.ctRatio / s.ratio) * 10) / 10),
                now: formatNumber(r.ctRatio),
              })
            : t('site.fix.ratio', { pct: Math.round(s.ratio * 100) }),
        );
    }
    // "Seen twice" names the other CT only in the engine's words.
    if (s.verdicts.includes('also-seen')) out.push(...s.fixes.filter((f) => f.includes('also saw')));
    return out;
  };
}
