import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime } from '../../components/format.js';
import { Field, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/** Accounts for the API and the browser UI (the CLI's `users` command manages the same list). */
export function UsersPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [users, setUsers] = useState<UserView[]>([]);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'api' | 'admin'>('api');
  const [pwFor, setPwFor] = useState<string | null>(null);
  const [newPw, setNewPw] = useState('');
  const run = action.run;
  const reload = useCallback(
    () => run(() => call(api, 'users.list')).then((u) => u && setUsers(u)),
    [api, run],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await action.run(() => call(api, 'users.add', { username: name.trim(), password, role }))) {
      setName('');
      setPassword('');
      await reload();
    }
  };
  return (
    <Section title={t('settings.users.title')}>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>{t('settings.users.user')}</th>
            <th>{t('settings.users.role')}</th>
            <th>{t('settings.created')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>{u.role === 'admin' ? t('settings.users.admin') : t('settings.users.api')}</td>
              <td>{formatDateTime(u.created)}</td>
              <td className="row-actions">
                {pwFor === u.username ? (
                  <>
                    <input
                      type="password"
                      placeholder={t('settings.users.newPassword')}
                      value={newPw}
                      onChange={(e) => setNewPw(e.target.value)}
                      aria-label={t('settings.users.newPasswordFor', { user: u.username })}
                    />
                    <button
                      type="button"
                      className="btn btn-sm btn-primary"
                      disabled={newPw.length < 8}
                      onClick={() =>
                        void action
                          .run(() => call(api, 'users.password', { username: u.username, password: newPw }))
                          .then((r) => r && (setPwFor(null), setNewPw('')))
                      }
                    >
                      {t('settings.users.set')}
                    </button>
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => setPwFor(null)}>
                      {t('common.cancel')}
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      className="btn btn-sm btn-ghost"
                      onClick={() => setPwFor(u.username)}
                    >
                      {t('settings.users.password')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-sm btn-danger-ghost"
                      onClick={() =>
                        void action
                          .run(() => call(api, 'users.remove', { username: u.username }))
                          .then(() => reload())
                      }
                    >
                      {t('common.remove')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form-inline" onSubmit={(e) => void add(e)}>
        <Field label={t('settings.users.newUser')}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-label={t('settings.users.newUserName')}
          />
        </Field>
        <Field label={t('login.password')}>
          <input
            type="password"
            placeholder={t('settings.users.pwHint')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            aria-label={t('settings.users.newUserPassword')}
          />
        </Field>
        <Field label={t('settings.users.role')}>
          <select value={role} onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'api')}>
            <option value="api">{t('settings.users.roleApi')}</option>
            <option value="admin">{t('settings.users.roleAdmin')}</option>
          </select>
        </Field>
        <button type="submit" className="btn" disabled={!name.trim() || password.length < 8 || action.busy}>
          {t('settings.users.add')}
        </button>
      </form>
    </Section>
  );
}
