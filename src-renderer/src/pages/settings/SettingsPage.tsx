import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Field, Notice, PageHeader, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { DisplayPanel } from './DisplayPanel.js';
import { IntegrationsPanel } from './IntegrationsPanel.js';
import { TokensPanel } from './TokensPanel.js';
import { UsersPanel } from './UsersPanel.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function SettingsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [view, setView] = useState<SettingsView | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [days, setDays] = useState('');
  const [saved, setSaved] = useState(false);

  const apply = useCallback((v: SettingsView) => {
    setView(v);
    setHost(v.api.host);
    setPort(String(v.api.port));
    setDays(String(v.rawRetentionDays));
  }, []);
  const run = action.run;
  useEffect(() => {
    void run(() => call(api, 'settings.get')).then((v) => v && apply(v));
  }, [api, run, apply]);

  if (!view)
    return <div className="page">{action.error ? <Notice tone="err">{action.error}</Notice> : null}</div>;
  const remote = !LOOPBACK.has(host.trim());
  const save = async (): Promise<void> => {
    setSaved(false);
    const v = await action.run(() =>
      call(api, 'settings.update', {
        api: { host: host.trim(), port: Number(port) },
        rawRetentionDays: Number(days),
      }),
    );
    if (v) {
      apply(v);
      setSaved(true);
    }
  };
  return (
    <div className="page settings">
      <PageHeader title={t('common.nav.settings')} />
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <DisplayPanel />
      <div className="settings-grid">
        <Section title={t('settings.api.title')}>
          <p className="muted small">
            {t('settings.api.now')} <span className="mono">{view.apiUrl ?? t('settings.api.off')}</span>.{' '}
            {t('settings.api.nextStart')}
          </p>
          <div className="form-grid">
            <Field label={t('settings.api.bind')} hint={t('settings.api.bindHint')}>
              <input
                value={host}
                onChange={(e) => setHost(e.target.value)}
                aria-label={t('settings.api.bind')}
              />
            </Field>
            <Field label={t('settings.api.port')}>
              <input
                value={port}
                onChange={(e) => setPort(e.target.value)}
                inputMode="numeric"
                aria-label={t('settings.api.port')}
              />
            </Field>
          </div>
          {remote && (
            <Notice tone="warn">
              <strong>{t('settings.api.remote', { host: host || t('settings.api.thisAddress') })}</strong>{' '}
              {t('settings.api.remoteWhy')}
            </Notice>
          )}
        </Section>
        <Section title={t('settings.data.title')}>
          <dl className="kv">
            <dt>{t('settings.data.db')}</dt>
            <dd className="mono small">{view.dbFile}</dd>
          </dl>
          <div className="form-grid">
            <Field
              label={t('settings.data.keep')}
              hint={t('settings.data.keepHint', { count: view.rawRetentionDaysActive })}
            >
              <input
                value={days}
                onChange={(e) => setDays(e.target.value)}
                inputMode="numeric"
                aria-label={t('settings.data.keepLabel')}
              />
            </Field>
          </div>
        </Section>
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => void save()}>
          {t('settings.save')}
        </button>
        {saved && <span className="text-ok">{t('settings.saved')}</span>}
      </div>
      <Section title={t('settings.demo.title')}>
        <p className="muted small">{t('settings.demo.what')}</p>
        <div className="button-row">
          <span>
            {view.demo.running
              ? t('settings.demo.running', { count: view.demo.devices })
              : t('settings.demo.stopped')}
          </span>
          <button
            type="button"
            className="btn"
            disabled={action.busy}
            onClick={() =>
              void action
                .run(() => call(api, 'settings.demo', { on: !view.demo.running }))
                .then((v) => v && apply(v))
            }
          >
            {view.demo.running ? t('settings.demo.stop') : t('settings.demo.start')}
          </button>
        </div>
      </Section>
      <UsersPanel />
      <TokensPanel available={view.tokensAvailable} />
      <IntegrationsPanel />
    </div>
  );
}
