import type { Requests } from '../../../../src-preload/contract/index.js';
import { i18n } from '../../i18n/index.js';

/** The speeds M-Bus level converters use; 2400 is what nearly every meter ships with. */
export const MBUS_BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400] as const;

export interface MbusForm {
  bauds: number[];
  primary: boolean;
  from: string;
  to: string;
  secondary: boolean;
}

export const DEFAULT_MBUS_FORM: MbusForm = {
  bauds: [2400],
  primary: true,
  from: '0',
  to: '250',
  secondary: false,
};

/** The M-Bus scan request of a filled form, or what is wrong with it, in words. */
export function toMbusRequest(
  f: MbusForm,
  port: string,
): { ok: true; req: Requests['mbus.scan']; probes: number } | { ok: false; problem: string } {
  if (!port.trim()) return { ok: false, problem: i18n.t('discovery.problem.mbusPort') };
  if (!f.bauds.length) return { ok: false, problem: i18n.t('discovery.problem.mbusBaud') };
  if (!f.primary && !f.secondary) return { ok: false, problem: i18n.t('discovery.problem.mbusWhat') };
  const base = { port: port.trim(), bauds: f.bauds, secondary: f.secondary };
  if (!f.primary) return { ok: true, req: base, probes: 0 };
  const from = Number(f.from);
  const to = Number(f.to);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 250 || from > to)
    return { ok: false, problem: i18n.t('discovery.problem.mbusRange') };
  return { ok: true, req: { ...base, primary: { from, to } }, probes: f.bauds.length * (to - from + 1) };
}
