import 'i18next';
import type about from './locales/en/about.json';
import type common from './locales/en/common.json';
import type devices from './locales/en/devices.json';
import type discovery from './locales/en/discovery.json';
import type history from './locales/en/history.json';
import type live from './locales/en/live.json';
import type login from './locales/en/login.json';
import type mapping from './locales/en/mapping.json';
import type monitor from './locales/en/monitor.json';
import type settings from './locales/en/settings.json';
import type site from './locales/en/site.json';

// Keys are checked at compile time against the English files: a typo in t('…') fails the type-check.
// A page with its own locale files adds its English file here.
declare module 'i18next' {
  interface CustomTypeOptions {
    returnNull: false;
    resources: {
      translation: {
        about: typeof about;
        common: typeof common;
        devices: typeof devices;
        discovery: typeof discovery;
        history: typeof history;
        live: typeof live;
        login: typeof login;
        mapping: typeof mapping;
        monitor: typeof monitor;
        settings: typeof settings;
        site: typeof site;
      };
    };
  }
}
