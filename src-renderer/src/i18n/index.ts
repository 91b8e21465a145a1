import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLanguage, LANGUAGES, pickLanguage, type Language } from './languages.js';
import { resources } from './resources.js';

const STORAGE_KEY = 'ems.language';

/** The language picked in Settings, else the operating system's (the browser's or Electron's locale). */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(saved)) return saved;
  return pickLanguage(navigator.languages.length ? navigator.languages : [navigator.language]);
}

/** Whether the language follows the operating system (nothing picked in Settings). */
export function followsSystem(): boolean {
  return !isLanguage(localStorage.getItem(STORAGE_KEY));
}

// Resources are bundled, so initialisation is synchronous and the first render is already translated.
void i18next.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  supportedLngs: [...LANGUAGES],
  fallbackLng: 'en',
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes.
  returnNull: false,
  react: { useSuspense: false },
  // A key the English file lacks is a bug: say so in the console (the UI tests fail on it).
  saveMissing: true,
  missingKeyHandler: (lngs, _ns, key) => console.error(`i18n: missing key "${key}" (${lngs.join(', ')})`),
});
document.documentElement.lang = i18next.language;
i18next.on('languageChanged', (lng) => (document.documentElement.lang = lng));

/** Switches the UI language and remembers it; `null` goes back to following the operating system. */
export function setLanguage(lng: Language | null): Promise<unknown> {
  if (lng) localStorage.setItem(STORAGE_KEY, lng);
  else localStorage.removeItem(STORAGE_KEY);
  return i18next.changeLanguage(lng ?? initialLanguage());
}

/** The current UI language (for Intl formatting outside React). */
export function currentLanguage(): Language {
  const l = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(l) ? l : 'en';
}

export { i18next as i18n };
