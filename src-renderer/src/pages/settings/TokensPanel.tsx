import { useCallback, useEffect, useState } from 'react';
import type { NewToken, TokenView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime } from '../../components/format.js';
import { Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/** Long-lived API tokens for other tools (the Telemetry API); the secret is shown once. */
export function TokensPanel({ available }: { available: boolean }) {
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
      <Section title="API tokens">
        <Empty>API tokens are vouched for by an admin account: add an admin account first.</Empty>
      </Section>
    );
  return (
    <Section title="API tokens">
      {action.error && <Notice tone="err">{action.error}</Notice>}
      {fresh && (
        <Notice tone="ok" onClose={() => setFresh(null)}>
          Token “{fresh.token.label}” created. Copy it now; it is not shown again:
          <div className="mono secret">{fresh.secret}</div>
        </Notice>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Created</th>
            <th>By</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.label}</td>
              <td>{formatDateTime(t.created)}</td>
              <td>{t.createdBy}</td>
              <td>
                {t.revoked ? <span className="muted">revoked</span> : <span className="text-ok">active</span>}
              </td>
              <td className="row-actions">
                <button
                  disabled={t.revoked}
                  type="button"
                  className="btn btn-sm btn-danger-ghost"
                  onClick={() =>
                    void action.run(() => call(api, 'tokens.revoke', { id: t.id })).then(() => reload())
                  }
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-inline">
        <input
          placeholder="Label (e.g. EMS gateway)"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-label="Token label"
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
          Create token
        </button>
      </div>
    </Section>
  );
}
