import { useEffect, useState } from 'react';

/** The pages in the side bar's order; `label` is the locale key of the page's name. */
export const PAGES = [
  { id: 'devices', label: 'common.nav.devices' },
  { id: 'live', label: 'common.nav.live' },
  { id: 'history', label: 'common.nav.history' },
  { id: 'discovery', label: 'common.nav.discovery' },
  { id: 'monitor', label: 'common.nav.monitor' },
  { id: 'mapping', label: 'common.nav.mapping' },
  { id: 'site', label: 'common.nav.site' },
  { id: 'settings', label: 'common.nav.settings' },
  { id: 'about', label: 'common.nav.about' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

const LAST_PAGE_KEY = 'ems.lastPage';

function fromHash(): PageId | undefined {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES.find((p) => p.id === id)?.id;
}

function current(): PageId {
  const saved = localStorage.getItem(LAST_PAGE_KEY);
  return fromHash() ?? PAGES.find((p) => p.id === saved)?.id ?? 'devices';
}

/**
 * The page in the URL hash (#/live), so a reload stays where the technician was; the last page is
 * also remembered across restarts of the app (the hash is empty when the window opens).
 */
export function useRoute(): [PageId, (p: PageId) => void] {
  const [page, setPage] = useState<PageId>(current);
  useEffect(() => {
    const on = (): void => setPage(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  useEffect(() => localStorage.setItem(LAST_PAGE_KEY, page), [page]);
  return [page, (p) => (location.hash = `#/${p}`)];
}
