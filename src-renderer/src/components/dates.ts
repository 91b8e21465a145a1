import { uiLanguage } from '../i18n/lang.js';

export const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The time of day, 24-hour, with milliseconds where frames are told apart by them. */
export function formatClock(t: number, ms = false): string {
  const d = new Date(t);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return ms ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lng: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${lng}|${withYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lng, {
      ...(withYear ? { year: 'numeric' } : {}),
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * The date in the UI language's order and separators: 02.12.2026 (de), 02/12/2026 (it, fr, es).
 * English uses the ISO order (2026-12-02) technicians know from logs, not the US month-first order.
 */
export function formatDate(t: number): string {
  const d = new Date(t);
  const lng = uiLanguage();
  if (lng === 'en') return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return dateFormat(lng, true).format(d);
}

/** Day and month for chart axes: 12-02 (en), 02.12. (de), 02/12 (it, fr, es). */
export function formatDayMonth(t: number): string {
  const d = new Date(t);
  const lng = uiLanguage();
  if (lng === 'en') return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return dateFormat(lng, false).format(d);
}

export function formatDateTime(t: number): string {
  return `${formatDate(t)} ${formatClock(t)}`;
}
