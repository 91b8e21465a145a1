import { useCallback, useEffect, useState } from 'react';
import type { SettingsView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Field, Notice, PageHeader, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { TokensPanel } from './TokensPanel.js';
import { UsersPanel } from './UsersPanel.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function SettingsPage() {
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
      <PageHeader title="Settings" />
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <div className="settings-grid">
        <Section title="API server">
          <p className="muted small">
            Now listening at <span className="mono">{view.apiUrl ?? 'off'}</span>. Changes apply at the next
            start of the app.
          </p>
          <div className="form-grid">
            <Field label="Bind address" hint="127.0.0.1 keeps the API on this computer">
              <input value={host} onChange={(e) => setHost(e.target.value)} aria-label="Bind address" />
            </Field>
            <Field label="Port">
              <input
                value={port}
                onChange={(e) => setPort(e.target.value)}
                inputMode="numeric"
                aria-label="Port"
              />
            </Field>
          </div>
          {remote && (
            <Notice tone="warn">
              <strong>{host || 'This address'} is reachable from the network.</strong> Anyone on it can try
              the API’s login and, with an account, read every meter value. Use it only on a network you
              trust.
            </Notice>
          )}
        </Section>
        <Section title="Data">
          <dl className="kv">
            <dt>Database</dt>
            <dd className="mono small">{view.dbFile}</dd>
          </dl>
          <div className="form-grid">
            <Field
              label="Keep raw samples for (days)"
              hint={`Now ${view.rawRetentionDaysActive} days. 1-minute roll-ups are always kept.`}
            >
              <input
                value={days}
                onChange={(e) => setDays(e.target.value)}
                inputMode="numeric"
                aria-label="Raw retention in days"
              />
            </Field>
          </div>
        </Section>
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => void save()}>
          Save settings
        </button>
        {saved && <span className="text-ok">Saved. They apply at the next start.</span>}
      </div>
      <Section title="Demo plant">
        <p className="muted small">
          Simulated meters on this computer, read by the real drivers: for training and for trying the app
          without hardware.
        </p>
        <div className="button-row">
          <span>{view.demo.running ? `Running, ${view.demo.devices} demo devices.` : 'Stopped.'}</span>
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
            {view.demo.running ? 'Stop demo plant' : 'Start demo plant'}
          </button>
        </div>
      </Section>
      <UsersPanel />
      <TokensPanel available={view.tokensAvailable} />
    </div>
  );
}
