import uPlot from 'uplot';
import type { ChartColors } from '../../components/chart-colors.js';
import { axisNumbers, chartNumber } from '../../components/chart-numbers.js';
import { legendTime, timeAxisValues } from '../../components/time-axis.js';
import type { LiveBuffers } from '../../state/ring.js';
import { Decimator, FrameData, nearestValue } from './decimate.js';

export interface PlotSeries {
  uid: number;
  label: string;
  unit: string;
  color: string;
}

export interface FrameStats {
  /** Time to decimate and draw this frame (up to uPlot's draw hook, canvas work included), ms. */
  ms: number;
  /** Samples inside the window across all series. */
  points: number;
  frames: number;
}

export interface LivePlotOptions {
  windowMs: number;
  height: number;
  /** New data arrived: the plot schedules one redraw for the next animation frame. */
  subscribe: (onData: () => void) => () => void;
  onFrame?: (s: FrameStats) => void;
  now?: () => number;
  /** The legend's time column and the axis of unitless signals, in the UI language. */
  labels: { time: string; noUnit: string };
  /** Axis and grid colours of the theme in force; `setColors` redraws with others. */
  colors: ChartColors;
}

function axisFor(unit: string, i: number, noUnit: string, c: ChartColors): uPlot.Axis {
  return {
    scale: unit || '1',
    side: i % 2 === 0 ? 3 : 1,
    label: unit || noUnit,
    labelSize: 18,
    size: 56,
    stroke: c.axis,
    values: axisNumbers,
    grid: { show: i === 0, stroke: c.grid, width: 1 },
    ticks: { stroke: c.grid, width: 1 },
    font: '11px ui-monospace, SFMono-Regular, Menlo, monospace',
    labelFont: '11px system-ui, sans-serif',
  };
}

/**
 * A live chart over the ring buffers: one y axis per unit, min/max decimation to the pixel grid, and
 * at most one redraw per animation frame (and only when data arrived or the window moved).
 */
export class LivePlot {
  private u: uPlot | undefined;
  private readonly frame = new FrameData();
  private decimator = new Decimator();
  private scheduled = 0;
  private paused = false;
  private frames = 0;
  private readonly off: () => void;
  private readonly tick: ReturnType<typeof setInterval>;
  private series: PlotSeries[] = [];
  /** Start of the redraw in flight: uPlot draws in a microtask after setData, its draw hook ends the frame. */
  private frameStart: { t0: number; points: number } | undefined;
  private seriesKey = '';

  constructor(
    private readonly el: HTMLElement,
    private readonly buffers: LiveBuffers,
    private readonly o: LivePlotOptions,
  ) {
    this.off = o.subscribe(() => this.request());
    // The window slides even when every signal is stale.
    this.tick = setInterval(() => this.request(), 1000);
  }

  /** Shows these series; the same list again (by content) changes nothing. */
  setSeries(series: PlotSeries[]): void {
    const key = series.map((s) => `${s.uid}:${s.color}:${s.unit}:${s.label}`).join('|');
    if (this.u && key === this.seriesKey) return;
    this.seriesKey = key;
    this.series = series;
    this.decimator = new Decimator();
    this.u?.destroy();
    this.u = undefined;
    if (!series.length) {
      this.seriesKey = '';
      return;
    }
    const units = [...new Set(series.map((s) => s.unit || '1'))];
    const width = Math.max(200, this.el.clientWidth || 800);
    const bins = this.bins(width);
    this.frame.resize((bins + 1) * 2, series.length);
    const opts: uPlot.Options = {
      width,
      height: this.o.height,
      pxAlign: 0,
      legend: { live: true },
      hooks: { draw: [() => this.drawn()] },
      cursor: {
        // Sparse series still show a value under the mouse: snap to the nearest slot that has one.
        dataIdx: (u, sidx, idx) =>
          nearestValue((u.data[sidx] ?? []) as (number | null | undefined)[], idx, 40),
        points: { size: 6 },
      },
      scales: Object.fromEntries([['x', { time: true }], ...units.map((u) => [u, { auto: true }])]),
      axes: [
        {
          stroke: this.o.colors.axis,
          values: timeAxisValues,
          grid: { stroke: this.o.colors.grid, width: 1 },
          ticks: { stroke: this.o.colors.grid, width: 1 },
          font: '11px ui-monospace, SFMono-Regular, Menlo, monospace',
        },
        ...units.map((u, i) => axisFor(u, i, this.o.labels.noUnit, this.o.colors)),
      ],
      series: [
        { label: this.o.labels.time, value: legendTime },
        ...series.map((s) => ({
          label: s.label,
          scale: s.unit || '1',
          stroke: s.color,
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${chartNumber(v)} ${s.unit}`),
        })),
      ],
    };
    this.u = new uPlot(opts, [this.frame.x, ...this.frame.ys] as uPlot.AlignedData, this.el);
    this.request();
  }

  /** The theme changed: the chart is rebuilt in its colours. */
  setColors(colors: ChartColors): void {
    if (colors.axis === this.o.colors.axis && colors.grid === this.o.colors.grid) return;
    this.o.colors = colors;
    this.seriesKey = '';
    this.setSeries(this.series);
  }

  setWindow(ms: number): void {
    this.o.windowMs = ms;
    this.request();
  }

  setPaused(p: boolean): void {
    this.paused = p;
    if (!p) this.request();
  }

  resize(width: number): void {
    if (!this.u) return;
    this.u.setSize({ width: Math.max(200, width), height: this.o.height });
    this.request();
  }

  destroy(): void {
    cancelAnimationFrame(this.scheduled);
    clearInterval(this.tick);
    this.off();
    this.u?.destroy();
  }

  /** One bin per two pixels: each bin draws its min and max, so every pixel column still gets a point. */
  private bins(width: number): number {
    return Math.max(100, Math.min(1500, Math.round(width / 2)));
  }

  private request(): void {
    if (this.scheduled || this.paused || !this.u) return;
    this.scheduled = requestAnimationFrame(() => {
      this.scheduled = 0;
      this.draw();
    });
  }

  private draw(): void {
    const u = this.u;
    if (!u || this.paused) return;
    const t0 = performance.now();
    const end = (this.o.now ?? Date.now)();
    const points = this.decimator.frame(
      this.frame,
      this.series.map((s) => this.buffers.get(s.uid)),
      this.o.windowMs,
      end,
      this.bins(u.width),
    );
    this.frameStart = { t0, points };
    u.setData([this.frame.x, ...this.frame.ys] as uPlot.AlignedData);
  }

  private drawn(): void {
    const f = this.frameStart;
    if (!f) return;
    this.frameStart = undefined;
    this.frames++;
    this.o.onFrame?.({ ms: performance.now() - f.t0, points: f.points, frames: this.frames });
  }
}
