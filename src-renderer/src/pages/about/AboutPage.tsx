import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, PageHeader, Section } from '../../components/ui.js';
import { useStoreVersion } from '../../state/store-context.js';
import type licensesList from 'virtual:licenses';

type Licenses = typeof licensesList;

/** Version of the app and the licences of every library it ships (collected when the app was built). */
export function AboutPage() {
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [licenses, setLicenses] = useState<Licenses | null>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    let live = true;
    // A chunk of its own: the licence texts are the largest text in the app, needed only here.
    void import('virtual:licenses').then((m) => live && setLicenses(m.default));
    return () => {
      live = false;
    };
  }, []);
  const info = store.info;
  const query = q.trim().toLowerCase();
  const shown = licenses?.filter((l) => !query || l.name.toLowerCase().includes(query)) ?? [];
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
        {!licenses ? (
          <Empty>{t('about.loading')}</Empty>
        ) : (
          <table className="table" data-testid="licenses">
            <thead>
              <tr>
                <th>{t('about.library')}</th>
                <th>{t('about.version')}</th>
                <th>{t('about.license')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((l) => (
                <tr key={`${l.name}@${l.version}`}>
                  <td>
                    <details>
                      <summary>{l.name}</summary>
                      {l.repository && <div className="small mono">{l.repository}</div>}
                      <pre className="license-text">
                        {l.text ?? t('about.noText', { license: l.license })}
                      </pre>
                    </details>
                  </td>
                  <td className="mono">{l.version}</td>
                  <td className="mono">{l.license}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
