import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import type { HistorySeries } from '../../../../src-preload/contract/index.js';
import { chartColors } from '../../components/chart-colors.js';
import { axisNumbers, chartNumber } from '../../components/chart-numbers.js';
import { legendTime, timeAxisValues } from '../../components/time-axis.js';
import { useTheme } from '../../theme/theme.js';
import { colorAt } from '../live/palette.js';

export interface HistoryLine {
  uid: number;
  label: string;
  unit: string;
}

function withAlpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** Aligns every signal's roll-ups on the union of their periods (all on the same 60-s grid). */
function align(series: readonly HistorySeries[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.p))].sort((a, b) => a - b);
  const at = new Map(xs.map((p, i) => [p, i]));
  const cols: (number | null)[][] = [];
  for (const s of series) {
    const v = new Array<number | null>(xs.length).fill(null);
    const lo = new Array<number | null>(xs.length).fill(null);
    const hi = new Array<number | null>(xs.length).fill(null);
    s.p.forEach((p, i) => {
      const j = at.get(p) ?? 0;
      v[j] = s.v[i] ?? null;
      lo[j] = s.min[i] ?? null;
      hi[j] = s.max[i] ?? null;
    });
    cols.push(v, hi, lo);
  }
  return [xs, ...cols] as uPlot.AlignedData;
}

/** Mean (or last, for counters) per minute as a line, with the band between each minute's min and max. */
export function HistoryChart({
  series,
  lines,
  height = 360,
}: {
  series: HistorySeries[];
  lines: HistoryLine[];
  height?: number;
}) {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  const time = t('common.time.axis');
  const noUnit = t('common.noUnit');
  useEffect(() => {
    const el = host.current;
    if (!el || !series.length) return;
    const units = [...new Set(lines.map((l) => l.unit || '1'))];
    const colors = chartColors();
    const s: uPlot.Series[] = [{ label: time, value: legendTime }];
    const bands: uPlot.Band[] = [];
    lines.forEach((l, i) => {
      const c = colorAt(i);
      const base = 1 + i * 3;
      const fmt = (v: number | null | undefined): string =>
        v == null ? '—' : chartNumber(Number(v.toPrecision(5)));
      s.push(
        {
          label: l.label,
          scale: l.unit || '1',
          stroke: c,
          width: 1.5,
          points: { show: false },
          // The legend carries the minute's range too, so the band series need no entries of their own.
          value: (u, v, sidx, idx) =>
            idx == null || v == null
              ? '—'
              : `${fmt(v)} ${l.unit} (${fmt(u.data[sidx + 2]?.[idx])} … ${fmt(u.data[sidx + 1]?.[idx])})`,
        },
        {
          label: t('history.seriesMax', { label: l.label }),
          scale: l.unit || '1',
          stroke: withAlpha(c, 0.35),
          width: 0.5,
          points: { show: false },
        },
        {
          label: t('history.seriesMin', { label: l.label }),
          scale: l.unit || '1',
          stroke: withAlpha(c, 0.35),
          width: 0.5,
          points: { show: false },
        },
      );
      bands.push({ series: [base + 1, base + 2], fill: withAlpha(c, 0.12) });
    });
    const u = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height,
        legend: { live: true },
        scales: Object.fromEntries([['x', { time: true }], ...units.map((u2) => [u2, { auto: true }])]),
        axes: [
          {
            stroke: colors.axis,
            values: timeAxisValues,
            grid: { stroke: colors.grid },
            font: '11px ui-monospace, monospace',
          },
          ...units.map((unit, i) => ({
            scale: unit,
            side: i % 2 === 0 ? 3 : 1,
            label: unit === '1' ? noUnit : unit,
            size: 56,
            stroke: colors.axis,
            values: axisNumbers,
            grid: { show: i === 0, stroke: colors.grid },
            font: '11px ui-monospace, monospace',
          })),
        ],
        series: s,
        bands,
      },
      align(series),
      el,
    );
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [series, lines, height, time, noUnit, t, theme]);
  return (
    <div className="chart-wrap">
      <div
        ref={host}
        className="chart history-chart"
        data-testid="history-chart"
        data-rows={series.reduce((n, s) => n + s.p.length, 0)}
      />
    </div>
  );
}
