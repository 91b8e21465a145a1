import type uPlot from 'uplot';
import { formatDayMonth } from './dates.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Time tick labels in 24-hour local time: seconds when ticks are less than a minute apart, the date
 * (in the UI language's order) once they are a day or more apart or the axis spans several days.
 */
export const timeAxisValues: uPlot.Axis.DynamicValues = (u, splits, _axisIdx, _space, incr) => {
  const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
  return splits.map((s) => {
    const d = new Date(s * 1000);
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    if (incr < 60) return `${hm}:${pad(d.getSeconds())}`;
    if (incr >= 86_400 || span > 2 * 86_400)
      return `${formatDayMonth(s * 1000)} ${incr >= 86_400 ? '' : hm}`.trim();
    return hm;
  });
};

/** The legend's time at the cursor, with seconds. */
export const legendTime = (_u: uPlot, v: number | null): string => {
  if (v == null) return '—';
  const d = new Date(v * 1000);
  return `${formatDayMonth(v * 1000)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
