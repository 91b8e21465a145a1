/** Colours a chart draws itself (uPlot paints a canvas, so CSS cannot restyle it afterwards). */
export interface ChartColors {
  axis: string;
  grid: string;
}

/** The current theme's chart colours, from the CSS variables of `<html data-theme>`. */
export function chartColors(): ChartColors {
  const s = getComputedStyle(document.documentElement);
  return {
    axis: s.getPropertyValue('--chart-axis').trim() || '#4b5565',
    grid: s.getPropertyValue('--chart-grid').trim() || '#e6e8ec',
  };
}
