import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { chartColors } from '../../components/chart-colors.js';
import { formatCount, formatFixed } from '../../components/format.js';
import { useTheme } from '../../theme/theme.js';
import type { LiveBuffers } from '../../state/ring.js';
import { LivePlot, type FrameStats, type PlotSeries } from './live-plot.js';

/** React shell of LivePlot: the chart itself never re-renders through React. */
export function LiveChart({
  buffers,
  series,
  windowMs,
  paused,
  subscribe,
  height = 380,
}: {
  buffers: LiveBuffers;
  series: PlotSeries[];
  windowMs: number;
  paused: boolean;
  subscribe: (fn: () => void) => () => void;
  height?: number;
}) {
  const { t } = useTranslation();
  const theme = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const stats = useRef<HTMLDivElement>(null);
  const plot = useRef<LivePlot | null>(null);
  const initialWindow = useRef(windowMs);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const onFrame = (s: FrameStats): void => {
      const box = stats.current;
      if (!box) return;
      // Written straight to the DOM: a frame counter must not re-render React 4 times a second.
      box.dataset.points = String(s.points);
      box.dataset.frames = String(s.frames);
      box.textContent = t('live.stats', { points: formatCount(s.points), ms: formatFixed(s.ms, 1) });
    };
    const p = new LivePlot(el, buffers, {
      windowMs: initialWindow.current,
      height,
      subscribe,
      onFrame,
      labels: { time: t('common.time.axis'), noUnit: t('common.noUnit') },
      colors: chartColors(),
    });
    plot.current = p;
    const ro = new ResizeObserver(() => p.resize(el.clientWidth));
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.destroy();
      plot.current = null;
    };
  }, [buffers, subscribe, height, t]);

  // The series array is rebuilt on every render; LivePlot rebuilds the chart only when it differs.
  useEffect(() => plot.current?.setSeries(series), [series]);
  useEffect(() => plot.current?.setWindow(windowMs), [windowMs]);
  useEffect(() => plot.current?.setColors(chartColors()), [theme]);
  useEffect(() => plot.current?.setPaused(paused), [paused]);

  return (
    <div className="chart-wrap">
      <div ref={host} className="chart" data-testid="live-chart" />
      <div
        ref={stats}
        className="chart-stats muted small"
        data-testid="live-stats"
        data-points="0"
        data-frames="0"
      />
    </div>
  );
}
