import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmsApi } from '../../../src-preload/contract/index.js';
import { ApiProvider } from '../api/api.js';
import { useSlashFocusesFilter } from '../components/keys.js';
import { StatusDot } from '../components/ui.js';
import { AboutPage, prefetchLicenses } from '../pages/about/AboutPage.js';
import { DevicesPage } from '../pages/devices/DevicesPage.js';
import { DiscoveryPage } from '../pages/discovery/DiscoveryPage.js';
import { HistoryPage } from '../pages/history/HistoryPage.js';
import { defaultPlot } from '../pages/live/default-selection.js';
import { LivePage } from '../pages/live/LivePage.js';
import { MapBuilderPage } from '../pages/mapping/MapBuilderPage.js';
import { MonitorPage } from '../pages/monitor/MonitorPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { SitePage } from '../pages/site/SitePage.js';
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
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [page, go] = useRoute();
  useSlashFocusesFilter();
  useEffect(prefetchLicenses, []);
  // Signals picked for plotting: shared by the tree (Plot button) and the live and history pages.
  // Until the technician picks, each device's total active power (null = nothing picked yet).
  const [picked, setPlotUids] = useState<number[] | null>(null);
  const plotUids = picked ?? defaultPlot(store.tree);
  const info = store.info;
  const online = [...store.status.values()].filter((s) => s.state === 'online').length;
  const addToPlot = (uids: number[]): void => {
    setPlotUids([...new Set([...plotUids, ...uids])]);
    go('live');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">EMS Commissioner</div>
        <div className="topbar-status" data-testid="connection">
          <StatusDot tone={connection === 'open' ? 'ok' : connection === 'closed' ? 'err' : 'warn'} />
          {connection === 'open'
            ? t('common.shell.connected')
            : connection === 'closed'
              ? t('common.shell.disconnected')
              : t('common.shell.reconnecting')}
          <span className="sep" />
          {t('common.shell.devicesOnline', { count: store.tree.length, online })}
          {info?.demo && <span className="tag">{t('common.shell.demo')}</span>}
        </div>
        <div className="topbar-right">
          {info && (
            <span className="muted">
              {t(info.host === 'electron' ? 'common.shell.desktop' : 'common.shell.browser', {
                version: info.version,
              })}
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
              {t('common.shell.signOut')}
            </button>
          )}
        </div>
      </header>
      <nav className="sidenav" aria-label={t('common.nav.label')}>
        {PAGES.map((p) => (
          <a
            key={p.id}
            href={`#/${p.id}`}
            className={p.id === page ? 'active' : ''}
            aria-current={p.id === page ? 'page' : undefined}
          >
            {t(p.label)}
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
    case 'mapping':
      return <MapBuilderPage />;
    case 'site':
      return <SitePage />;
    case 'settings':
      return <SettingsPage />;
    case 'about':
      return <AboutPage />;
  }
}
