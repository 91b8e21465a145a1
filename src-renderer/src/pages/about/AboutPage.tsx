import { memo, useEffect, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Empty, PageHeader, Section } from '../../components/ui.js';
import { useStoreVersion } from '../../state/store-context.js';
import type licensesList from 'virtual:licenses';

type Licenses = typeof licensesList;

/**
 * A chunk of its own: the licence texts (~300 kB) are the largest text in the app, needed only on
 * this page. Fetched and parsed once, when the app is idle after start (prefetchLicenses), so the
 * page does not wait for the download on a busy machine; a failed fetch is tried again on the page.
 */
let licensesChunk: Promise<Licenses> | undefined;
const loadLicenses = (): Promise<Licenses> =>
  (licensesChunk ??= import('virtual:licenses').then((m) => m.default));

export function prefetchLicenses(): void {
  const go = (): void => void loadLicenses().catch(() => (licensesChunk = undefined));
  // A page busy with live data may never be idle: at the latest after 5 s.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 5000 });
  else setTimeout(go, 2000);
}

/** Version of the app and the licences of every library it ships (collected when the app was built). */
export function AboutPage() {
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [licenses, setLicenses] = useState<Licenses | null>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    void loadLicenses().then((l) => live && setLicenses(l));
    return () => {
      live = false;
    };
  }, []);
  const info = store.info;
  const query = q.trim().toLowerCase();
  const shown = useMemo(
    () => licenses?.filter((l) => !query || l.name.toLowerCase().includes(query)) ?? [],
    [licenses, query],
  );
  return (
    <div className="page about">
      <PageHeader title={t('about.title')} />
      <Section title={t('about.app')}>
        <dl className="kv">
          <dt>{t('about.version')}</dt>
          <dd className="mono" data-testid="about-version">
            {info?.version ?? '—'}
          </dd>
          <dt>{t('about.runsIn')}</dt>
          <dd>{info ? t(info.host === 'electron' ? 'about.desktop' : 'about.browser') : '—'}</dd>
        </dl>
        <p className="muted small">{t('about.what')}</p>
      </Section>
      <Section
        title={t('about.licenses', { count: licenses?.length ?? 0 })}
        actions={
          <input
            className="filter"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('about.find')}
            aria-label={t('about.find')}
          />
        }
      >
        <p className="muted small">{t('about.licensesWhat')}</p>
        {!licenses ? <Empty>{t('about.loading')}</Empty> : <LicenseTable licenses={shown} t={t} />}
      </Section>
    </div>
  );
}

/**
 * The libraries, apart from the page so the engine's updates (which re-render the page) leave the
 * ~200 rows alone; a licence text joins the page only when its row is opened. With every text in
 * the page at once, laying the page out took seconds on a loaded machine.
 */
const LicenseTable = memo(function LicenseTable({ licenses, t }: { licenses: Licenses; t: TFunction }) {
  return (
    <table className="table licenses" data-testid="licenses">
      <thead>
        <tr>
          <th>{t('about.library')}</th>
          <th>{t('about.version')}</th>
          <th>{t('about.license')}</th>
        </tr>
      </thead>
      <tbody>
        {licenses.map((l) => (
          <LicenseRow key={`${l.name}@${l.version}`} entry={l} t={t} />
        ))}
      </tbody>
    </table>
  );
});

function LicenseRow({ entry: l, t }: { entry: Licenses[number]; t: TFunction }) {
  const [open, setOpen] = useState(false);
  return (
    <tr>
      <td>
        <details onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>{l.name}</summary>
          {open && (
            <>
              {l.repository && <div className="small mono">{l.repository}</div>}
              <pre className="license-text">{l.text ?? t('about.noText', { license: l.license })}</pre>
            </>
          )}
        </details>
      </td>
      <td className="mono">{l.version}</td>
      <td className="mono">{l.license}</td>
    </tr>
  );
}
