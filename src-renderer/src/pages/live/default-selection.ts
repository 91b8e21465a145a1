import type { TreeDevice } from '../../../../src-preload/contract/index.js';

/** The catalogue key of a meter's total active power (resources/signals.json). */
export const TOTAL_ACTIVE_POWER = 'active_power';

/**
 * What Live shows before the technician picks anything: each polled device's total active power, so
 * the first look at a plant is its power flow rather than an empty chart. Devices without that signal
 * (heat meters, gas) are left out; at most `max` series.
 */
export function defaultPlot(tree: readonly TreeDevice[], max = 20): number[] {
  const uids: number[] = [];
  for (const d of tree) {
    if (!d.enable) continue;
    const s = d.loads
      .filter((l) => l.enable)
      .flatMap((l) => l.signals)
      .find((x) => x.key === TOTAL_ACTIVE_POWER && x.enable);
    if (s) uids.push(s.uid);
  }
  return uids.slice(0, max);
}
