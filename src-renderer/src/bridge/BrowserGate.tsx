import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { App } from '../app/App.js';
import { LINK_FRAGMENT } from '../../../src-preload/contract/bridge.js';
import { login, signInWithLink, WsBridge, type BridgeState } from './ws-bridge.js';

const TOKEN_KEY = 'ems.session';

/**
 * The token of the one-time sign-in link (`#signin=…`), taken out of the address bar as the page
 * loads, so it stays neither in the history nor in a bookmark; read once per page load.
 */
const LINK_TOKEN = ((): string | null => {
  const m = new RegExp(`^#${LINK_FRAGMENT}=([A-Za-z0-9_-]+)$`).exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  return m[1] ?? null;
})();
let linkSession: Promise<string> | undefined;

/**
 * The browser UI's front door: a login page (the API's accounts), then the app over the WebSocket
 * bridge. The session token lives in sessionStorage, renewed by the server, so a reload keeps the
 * technician signed in while the tab is open.
 */
export function BrowserGate() {
  const [token, setToken] = useState<string | null>(() =>
    LINK_TOKEN ? null : sessionStorage.getItem(TOKEN_KEY),
  );
  const [state, setState] = useState<BridgeState>('connecting');
  const [message, setMessage] = useState<string | null>(null);
  const [linkBusy, setLinkBusy] = useState(LINK_TOKEN !== null);

  // The link is traded once per page load, however often this component mounts.
  useEffect(() => {
    if (!LINK_TOKEN) return;
    linkSession ??= signInWithLink(LINK_TOKEN);
    let live = true;
    linkSession.then(
      (t) => {
        if (!live) return;
        sessionStorage.setItem(TOKEN_KEY, t);
        setToken(t);
        setLinkBusy(false);
      },
      (err: unknown) => {
        if (!live) return;
        setMessage((err as Error).message);
        setLinkBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  // One bridge per sign-in; it only opens its socket in the effect below.
  const bridge = useMemo(
    () =>
      token
        ? new WsBridge(token, {
            onToken: (t) => sessionStorage.setItem(TOKEN_KEY, t),
            onState: setState,
            onSignedOut: (reason) => {
              sessionStorage.removeItem(TOKEN_KEY);
              setMessage(reason);
              setToken(null);
            },
          })
        : null,
    [token],
  );
  useEffect(() => {
    bridge?.start();
    return () => bridge?.close();
  }, [bridge]);

  const signIn = (t: string): void => {
    sessionStorage.setItem(TOKEN_KEY, t);
    setMessage(null);
    setToken(t);
  };
  const signOut = (): void => {
    sessionStorage.removeItem(TOKEN_KEY);
    setMessage(null);
    setToken(null);
  };

  if (bridge) return <App api={bridge} connection={state} onSignOut={signOut} />;
  if (linkBusy) return <LinkSigningIn />;
  return <LoginPage message={message} onToken={signIn} />;
}

function LinkSigningIn() {
  const { t } = useTranslation();
  return (
    <div className="login-screen">
      <div className="login-card" role="status">
        <div className="login-brand">EMS Commissioner</div>
        <p className="muted">{t('login.linkSigningIn')}</p>
      </div>
    </div>
  );
}

function LoginPage({ message, onToken }: { message: string | null; onToken: (t: string) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onToken(await login(username.trim(), password));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-label={t('login.title')}>
        <div className="login-brand">EMS Commissioner</div>
        <p className="muted">{t('login.intro')}</p>
        {(error ?? message) && (
          <div className="notice notice-err" role="alert">
            {error ?? message}
          </div>
        )}
        <label className="field">
          <span className="field-label">{t('login.user')}</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label className="field">
          <span className="field-label">{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || !username || !password}>
          {busy ? t('login.signingIn') : t('login.signIn')}
        </button>
        <p className="login-hint muted">
          {t('login.noAccount')}
          <code>ems-commissioner users add NAME --role admin --password-stdin</code>
        </p>
        <p className="login-hint muted">{t('login.linkHint')}</p>
      </form>
    </div>
  );
}
