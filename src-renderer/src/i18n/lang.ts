/**
 * The UI language as the page states it (`<html lang>`, kept current by the i18n setup). Formatting
 * code reads it here so charts and number helpers need not load the translations.
 */
export function uiLanguage(): string {
  return typeof document === 'undefined' ? 'en' : document.documentElement.lang || 'en';
}
