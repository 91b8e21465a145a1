import { useEffect, useState } from 'react';

export const PAGES = [
  { id: 'devices', label: 'Devices' },
  { id: 'live', label: 'Live' },
  { id: 'history', label: 'History' },
  { id: 'discovery', label: 'Discovery' },
  { id: 'monitor', label: 'Bus monitor' },
  { id: 'settings', label: 'Settings' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

function current(): PageId {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0];
  return PAGES.find((p) => p.id === id)?.id ?? 'devices';
}

/** The page in the URL hash (#/live), so a reload stays where the technician was. */
export function useRoute(): [PageId, (p: PageId) => void] {
  const [page, setPage] = useState<PageId>(current);
  useEffect(() => {
    const on = (): void => setPage(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [page, (p) => (location.hash = `#/${p}`)];
}
