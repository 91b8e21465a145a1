import { uiLanguage } from '../i18n/lang.js';

const formats = new Map<string, Intl.NumberFormat>();
function format(lng: string): Intl.NumberFormat {
  let f = formats.get(lng);
  if (!f) {
    f = new Intl.NumberFormat(lng, { maximumSignificantDigits: 6 });
    formats.set(lng, f);
  }
  return f;
}

/** A chart's number (axis tick, legend value) in the UI language's notation: 5.800 / 5,800 / 5 800. */
export function chartNumber(v: number): string {
  return format(uiLanguage()).format(v);
}

/** uPlot `values` for a y axis: its ticks in the UI language's notation. */
export const axisNumbers = (_u: unknown, splits: number[]): string[] => splits.map(chartNumber);
