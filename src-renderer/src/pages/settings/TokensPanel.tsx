import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NewToken, TokenView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime } from '../../components/format.js';
import { Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/** Long-lived API tokens for other tools (the Telemetry API); the secret is shown once. */
export function TokensPanel({ available }: { available: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [tokens, setTokens] = useState<TokenView[]>([]);
  const [name, setName] = useState('');
  const [fresh, setFresh] = useState<NewToken | null>(null);
  const run = action.run;
  const reload = useCallback(
    () => run(() => call(api, 'tokens.list')).then((t) => t && setTokens(t)),
    [api, run],
  );
  useEffect(() => {
    if (available) void reload();
  }, [available, reload]);
  if (!available)
    return (
      <Section title={t('settings.tokens.title')}>
        <Empty>{t('settings.tokens.needAdmin')}</Empty>
      </Section>
    );
  return (
    <Section title={t('settings.tokens.title')}>
      {action.error && <Notice tone="err">{action.error}</Notice>}
      {fresh && (
        <Notice tone="ok" onClose={() => setFresh(null)}>
          {t('settings.tokens.created', { label: fresh.token.label })}
          <div className="mono secret">{fresh.secret}</div>
        </Notice>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>{t('settings.tokens.label')}</th>
            <th>{t('settings.created')}</th>
            <th>{t('settings.tokens.by')}</th>
            <th>{t('devices.device.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((tk) => (
            <tr key={tk.id}>
              <td>{tk.label}</td>
              <td>{formatDateTime(tk.created)}</td>
              <td>{tk.createdBy}</td>
              <td>
                {tk.revoked ? (
                  <span className="muted">{t('settings.tokens.revoked')}</span>
                ) : (
                  <span className="text-ok">{t('settings.tokens.active')}</span>
                )}
              </td>
              <td className="row-actions">
                <button
                  disabled={tk.revoked}
                  type="button"
                  className="btn btn-sm btn-danger-ghost"
                  onClick={() =>
                    void action.run(() => call(api, 'tokens.revoke', { id: tk.id })).then(() => reload())
                  }
                >
                  {t('settings.tokens.revoke')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-inline">
        <input
          placeholder={t('settings.tokens.placeholder')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-label={t('settings.tokens.labelAria')}
          maxLength={100}
        />
        <button
          type="button"
          className="btn"
          disabled={!name.trim() || action.busy}
          onClick={() =>
            void action
              .run(() => call(api, 'tokens.create', { label: name.trim() }))
              .then(async (t) => {
                if (!t) return;
                setFresh(t);
                setName('');
                await reload();
              })
          }
        >
          {t('settings.tokens.create')}
        </button>
      </div>
    </Section>
  );
}
