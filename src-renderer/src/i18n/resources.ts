import type { Resource } from 'i18next';
import { LANGUAGES } from './languages.js';

/**
 * Every `locales/<language>/<section>.json`, one section per page or shared part, all in the one
 * `translation` namespace (`t('devices.tree.filter')`). A new page adds its own file per language
 * and needs no registration here.
 */
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', {
  eager: true,
  import: 'default',
});

export const resources: Resource = Object.fromEntries(
  LANGUAGES.map((lng) => {
    const translation: Record<string, unknown> = {};
    for (const [path, data] of Object.entries(files)) {
      const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
      if (m?.[1] === lng && m[2]) translation[m[2]] = data;
    }
    return [lng, { translation }];
  }),
);
