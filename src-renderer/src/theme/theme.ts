import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'ems.theme';
const media = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** The theme in force: the one picked in Settings, else the operating system's. */
export function currentTheme(): Theme {
  const c = themeChoice();
  if (c !== 'system') return c;
  return media().matches ? 'dark' : 'light';
}

function apply(): void {
  document.documentElement.dataset.theme = currentTheme();
  for (const l of listeners) l();
}

/** Sets the page's theme now and follows the operating system's switches from then on. */
export function initTheme(): void {
  apply();
  media().addEventListener('change', apply);
}

export function setThemeChoice(c: ThemeChoice): void {
  if (c === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, c);
  apply();
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The theme in force, for code that draws its own colours (charts); re-renders on a switch. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme);
}

/** The choice in Settings; re-renders on a switch. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, themeChoice);
}
