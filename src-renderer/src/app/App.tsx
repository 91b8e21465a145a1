import { useState } from 'react';
import type { EmsApi } from '../../../src-preload/contract/index.js';
import { ApiProvider } from '../api/api.js';
import { StatusDot } from '../components/ui.js';
import { DevicesPage } from '../pages/devices/DevicesPage.js';
import { DiscoveryPage } from '../pages/discovery/DiscoveryPage.js';
import { HistoryPage } from '../pages/history/HistoryPage.js';
import { LivePage } from '../pages/live/LivePage.js';
import { MonitorPage } from '../pages/monitor/MonitorPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { StoreProvider, useStoreVersion } from '../state/store-context.js';
import { PAGES, useRoute, type PageId } from './routes.js';

export interface AppProps {
  api: EmsApi;
  /** Connection state of the browser bridge (the desktop window is always connected). */
  connection?: 'open' | 'connecting' | 'reconnecting' | 'closed';
  onSignOut?: () => void;
}

export function App({ api, connection = 'open', onSignOut }: AppProps) {
  return (
    <ApiProvider api={api}>
      <StoreProvider>
        <Shell connection={connection} onSignOut={onSignOut} />
      </StoreProvider>
    </ApiProvider>
  );
}

function Shell({ connection, onSignOut }: Pick<AppProps, 'connection' | 'onSignOut'>) {
  const store = useStoreVersion();
  const [page, go] = useRoute();
  // Signals picked for plotting: shared by the tree (Plot button) and the live and history pages.
  const [plotUids, setPlotUids] = useState<number[]>([]);
  const info = store.info;
  const online = [...store.status.values()].filter((s) => s.state === 'online').length;
  const addToPlot = (uids: number[]): void => {
    setPlotUids((cur) => [...new Set([...cur, ...uids])]);
    go('live');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">EMS Commissioner</div>
        <div className="topbar-status" data-testid="connection">
          <StatusDot tone={connection === 'open' ? 'ok' : connection === 'closed' ? 'err' : 'warn'} />
          {connection === 'open'
            ? 'Engine connected'
            : connection === 'closed'
              ? 'Disconnected'
              : 'Reconnecting…'}
          <span className="sep" />
          {store.tree.length} devices · {online} online
          {info?.demo && <span className="tag">demo plant</span>}
        </div>
        <div className="topbar-right">
          {info && (
            <span className="muted">
              {info.host === 'electron' ? 'Desktop' : 'Browser'} · v{info.version}
            </span>
          )}
          {info?.user && (
            <>
              <span className="sep" />
              <span>{info.user.username}</span>
            </>
          )}
          {onSignOut && (
            <button type="button" className="btn btn-ghost btn-sm" onClick={onSignOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <nav className="sidenav" aria-label="Pages">
        {PAGES.map((p) => (
          <a
            key={p.id}
            href={`#/${p.id}`}
            className={p.id === page ? 'active' : ''}
            aria-current={p.id === page ? 'page' : undefined}
          >
            {p.label}
          </a>
        ))}
      </nav>
      <main className="content">
        <Page page={page} plotUids={plotUids} setPlotUids={setPlotUids} addToPlot={addToPlot} />
      </main>
    </div>
  );
}

function Page({
  page,
  plotUids,
  setPlotUids,
  addToPlot,
}: {
  page: PageId;
  plotUids: number[];
  setPlotUids: (u: number[]) => void;
  addToPlot: (u: number[]) => void;
}) {
  switch (page) {
    case 'devices':
      return <DevicesPage onPlot={addToPlot} />;
    case 'live':
      return <LivePage uids={plotUids} onChange={setPlotUids} />;
    case 'history':
      return <HistoryPage initial={plotUids} />;
    case 'discovery':
      return <DiscoveryPage />;
    case 'monitor':
      return <MonitorPage />;
    case 'settings':
      return <SettingsPage />;
  }
}
