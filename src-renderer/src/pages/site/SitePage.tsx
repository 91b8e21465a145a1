import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanCheckView, Site, SiteView, WritePlanView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Field, Notice, PageHeader, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { CrossCheck } from './CrossCheck.js';
import { HandOver } from './HandOver.js';
import { LoadStepWizard } from './LoadStepWizard.js';
import { download } from './plan-draft.js';
import { PlanEditor } from './PlanEditor.js';
import './site.css';
import { PlanCheckResult, WritePlanResult } from './WireResults.js';

/**
 * The technician's job on one site: the plan (details and planned devices, saved whole and checked by
 * the site schema), the plan against the wire, writing the plan, the load-step test, the P1
 * cross-check, the hand-over baseline and drift, and the report.
 */
export function SitePage() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [view, setView] = useState<SiteView | null>(null);
  const [draft, setDraft] = useState<Site | null>(null);
  const [saved, setSaved] = useState(false);
  const [check, setCheck] = useState<PlanCheckView | null>(null);
  const [withScans, setWithScans] = useState(false);
  const [written, setWritten] = useState<WritePlanView | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const show = useCallback((v: SiteView): void => {
    setView(v);
    setDraft(v.site);
  }, []);
  useEffect(() => {
    void call(api, 'site.get').then(show);
  }, [api, show]);

  const dirty = !!view && JSON.stringify(view.site) !== JSON.stringify(draft);
  const save = async (): Promise<void> => {
    if (!draft) return;
    const v = await action.run(() => call(api, 'site.update', draft));
    if (v) {
      show(v);
      setSaved(true);
    }
  };
  const exportFile = async (): Promise<void> => {
    const f = await action.run(() => call(api, 'site.export'));
    if (f) download(f.fileName, f.text, 'application/json');
  };
  const importFile = async (file: File): Promise<void> => {
    const text = await file.text();
    if (view?.site && !window.confirm(t('site.file.replaceConfirm', { name: view.site.site.name }))) return;
    const v = await action.run(() => call(api, 'site.import', { text, replace: true }));
    if (v) show(v);
  };
  const runCheck = async (): Promise<void> => {
    const c = await action.run(() => call(api, 'site.check', { withScans }));
    if (c) setCheck(c);
  };
  const writePlan = async (): Promise<void> => {
    const w = await action.run(() => call(api, 'site.writePlan'));
    if (w) setWritten(w);
  };
  const refresh = (): void => void call(api, 'site.get').then((v) => setView(v));

  return (
    <div className="page site-page">
      <PageHeader title={t('site.title')}>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
          {t('site.file.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".emssite,.json,application/json"
          hidden
          data-testid="site-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <button type="button" className="btn" disabled={!view?.site} onClick={() => void exportFile()}>
          {t('site.file.export')}
        </button>
      </PageHeader>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      {view && !view.site && <StartSite onStarted={show} />}
      {view && draft && (
        <>
          <PlanEditor
            draft={draft}
            models={view.models}
            onChange={(d) => {
              setDraft(d);
              setSaved(false);
            }}
          />
          <div className="button-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!dirty || action.busy}
              onClick={() => void save()}
            >
              {t('site.plan.save')}
            </button>
            {dirty && (
              <button type="button" className="btn btn-ghost" onClick={() => setDraft(view.site)}>
                {t('site.plan.undo')}
              </button>
            )}
            {saved && !dirty && <span className="text-ok">{t('site.plan.saved')}</span>}
          </div>
          <Section title={t('site.check.title')}>
            <p className="small muted">{t('site.check.intro')}</p>
            <div className="button-row">
              <label className="check">
                <input type="checkbox" checked={withScans} onChange={(e) => setWithScans(e.target.checked)} />
                {t('site.check.withScans')}
              </label>
              <button
                type="button"
                className="btn btn-primary"
                disabled={dirty || action.busy}
                onClick={() => void runCheck()}
              >
                {t('site.check.run')}
              </button>
              <button
                type="button"
                className="btn"
                disabled={dirty || action.busy}
                onClick={() => void writePlan()}
              >
                {t('site.write.run')}
              </button>
              {dirty && <span className="small muted">{t('site.plan.saveFirst')}</span>}
              {action.busy && <span className="small muted">{t('site.working')}</span>}
            </div>
            {check && <PlanCheckResult check={check} />}
            {written && <WritePlanResult report={written} />}
          </Section>
          <Section title={t('site.step.title')}>
            <LoadStepWizard />
          </Section>
          <Section title={t('site.cross.title')}>
            <CrossCheck />
          </Section>
          <Section title={t('site.handover.title')}>
            <HandOver
              baselineAt={view.baselineAt}
              baselineSettings={view.baselineSettings}
              onBaseline={refresh}
            />
          </Section>
        </>
      )}
    </div>
  );
}

/** No site yet: start one (empty, or planned from what is configured now), or import a site file. */
function StartSite({ onStarted }: { onStarted: (v: SiteView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [name, setName] = useState('');
  const [fromConfig, setFromConfig] = useState(true);
  const start = async (): Promise<void> => {
    const v = await action.run(() => call(api, 'site.create', { info: { name: name.trim() }, fromConfig }));
    if (v) onStarted(v);
  };
  return (
    <Section title={t('site.start.title')}>
      <p className="small muted">{t('site.start.intro')}</p>
      <div className="form-grid">
        <Field label={t('site.details.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={fromConfig} onChange={(e) => setFromConfig(e.target.checked)} />
          {t('site.start.fromConfig')}
        </label>
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <button
        type="button"
        className="btn btn-primary"
        disabled={!name.trim() || action.busy}
        onClick={() => void start()}
      >
        {t('site.start.run')}
      </button>
    </Section>
  );
}
