import { currentLanguage, i18n } from '../i18n/index.js';
import { pad } from './dates.js';

export { formatClock, formatDate, formatDateTime, formatDayMonth } from './dates.js';

// Intl formatters are costly to build and tables format thousands of cells: one per language and shape.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(digits: number | 'exp'): Intl.NumberFormat {
  const lng = currentLanguage();
  const key = `${lng}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f =
      digits === 'exp'
        ? new Intl.NumberFormat(lng, { notation: 'scientific', maximumFractionDigits: 2 })
        : new Intl.NumberFormat(lng, {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
            useGrouping: false,
          });
    numberFormats.set(key, f);
  }
  return f;
}

/** A number with a fixed count of decimals in the UI language's notation (decimal comma in de/it/fr/es). */
export function formatFixed(v: number, decimals: number): string {
  return numberFormat(decimals).format(v);
}

/** Numbers as a technician reads them: fixed significant digits, in the UI language's notation. */
export function formatNumber(v: number | string | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100_000) return formatFixed(v, 0);
  if (a >= 1000) return formatFixed(v, 1);
  if (a >= 10) return formatFixed(v, 2);
  if (a >= 0.01) return formatFixed(v, 3);
  if (a >= 0.0001) return formatFixed(v, 5);
  return numberFormat('exp').format(v);
}

/** A count with the language's thousands separator (12 350 probes, 12.350 Abfragen). */
export function formatCount(n: number): string {
  return n.toLocaleString(currentLanguage());
}

export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1500) return i18n.t('common.time.now');
  const s = Math.round(ms / 1000);
  if (s < 120) return i18n.t('common.time.s', { n: formatCount(s) });
  const m = Math.round(s / 60);
  if (m < 120) return i18n.t('common.time.min', { n: formatCount(m) });
  const h = Math.round(m / 60);
  return h < 48
    ? i18n.t('common.time.h', { n: formatCount(h) })
    : i18n.t('common.time.d', { n: formatCount(Math.round(h / 24)) });
}

/** `datetime-local` input value of a time, in local time. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return i18n.t('common.time.ms', { n: formatCount(Math.round(ms)) });
  const s = Math.round(ms / 1000);
  if (s < 60) return i18n.t('common.time.s', { n: formatCount(s) });
  const m = Math.floor(s / 60);
  return m < 60
    ? i18n.t('common.time.minS', { m, s: pad(s % 60) })
    : i18n.t('common.time.hMin', { h: Math.floor(m / 60), m: pad(m % 60) });
}

/** Milliseconds as a duration the way the poll-interval list shows them (250 ms, 1 s, 1,5 s). */
export function formatInterval(ms: number): string {
  return ms < 1000
    ? i18n.t('common.time.ms', { n: formatCount(ms) })
    : i18n.t('common.time.s', { n: formatCount(ms / 1000) });
}

/** Protocol names are technical names: the same in every language, except "virtual". */
export function protocolName(p: string): string {
  switch (p) {
    case 'rtu':
      return 'Modbus RTU';
    case 'tcp':
      return 'Modbus TCP';
    case 'meterBus':
      return 'M-Bus';
    case 'P1':
      return 'P1 / DSMR';
    case 'virtual':
      return i18n.t('common.protocol.virtual');
    default:
      return p;
  }
}

/** Load types in the order of their numeric code (0 consumption, 1 production, 2 bidirectional). */
export const LOAD_TYPE_KEYS = [
  'common.loadType.consumption',
  'common.loadType.production',
  'common.loadType.bidirectional',
] as const;
