import { useTranslation } from 'react-i18next';
import { Field, Section } from '../../components/ui.js';
import { followsSystem, setLanguage } from '../../i18n/index.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n/languages.js';
import { setThemeChoice, useThemeChoice, type ThemeChoice } from '../../theme/theme.js';

/** Language and theme: kept by this window (browser or desktop), not by the engine. */
export function DisplayPanel() {
  const { t, i18n } = useTranslation();
  const theme = useThemeChoice();
  const language = followsSystem() ? 'system' : i18n.language;
  return (
    <Section title={t('settings.display.title')}>
      <div className="form-grid">
        <Field label={t('settings.display.language')}>
          <select
            value={language}
            aria-label={t('settings.display.language')}
            data-testid="language"
            onChange={(e) => void setLanguage(isLanguage(e.target.value) ? e.target.value : null)}
          >
            <option value="system">{t('settings.display.system')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('settings.display.theme')}>
          <select
            value={theme}
            aria-label={t('settings.display.theme')}
            data-testid="theme"
            onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)}
          >
            <option value="system">{t('settings.display.system')}</option>
            <option value="light">{t('settings.display.light')}</option>
            <option value="dark">{t('settings.display.dark')}</option>
          </select>
        </Field>
      </div>
    </Section>
  );
}
