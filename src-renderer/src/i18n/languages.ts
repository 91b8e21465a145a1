/** The UI's languages; the CLI and the engine's own messages stay English. */
export const LANGUAGES = ['en', 'de', 'it', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in itself, as a technician looks for it in a list. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  it: 'Italiano',
  fr: 'Français',
  es: 'Español',
};

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** The first of the operating system's preferred languages (de-CH → de) that the UI has, else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}
