import type { Parity, ScanRequest } from '../../../../src-preload/contract/index.js';
import { i18n } from '../../i18n/index.js';

export const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const PARITIES: Parity[] = ['none', 'even', 'odd'];

/** The list with `v` added, or without it if it was there (a ticked checkbox). */
export function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export interface ScanForm {
  protocol: 'rtu' | 'tcp';
  port: string;
  bauds: number[];
  parities: Parity[];
  stopBits: (1 | 2)[];
  hosts: string;
  tcpPort: string;
  unitFrom: string;
  unitTo: string;
}

export const DEFAULT_FORM: ScanForm = {
  protocol: 'rtu',
  port: '',
  bauds: [9600, 19200],
  parities: ['none', 'even'],
  stopBits: [1],
  hosts: '',
  tcpPort: '502',
  unitFrom: '1',
  unitTo: '10',
};

/** The scan request of a filled form, or what is wrong with the form, in words. */
export function toRequest(
  f: ScanForm,
): { ok: true; req: ScanRequest; probes: number } | { ok: false; problem: string } {
  const from = Number(f.unitFrom);
  const to = Number(f.unitTo);
  const lo = f.protocol === 'rtu' ? 1 : 0;
  const hi = f.protocol === 'rtu' ? 247 : 255;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < lo || to > hi || from > to)
    return { ok: false, problem: i18n.t('discovery.problem.units', { lo, hi }) };
  const units = to - from + 1;
  if (f.protocol === 'rtu') {
    if (!f.port.trim()) return { ok: false, problem: i18n.t('discovery.problem.port') };
    if (!f.bauds.length || !f.parities.length || !f.stopBits.length)
      return { ok: false, problem: i18n.t('discovery.problem.settings') };
    return {
      ok: true,
      req: {
        protocol: 'rtu',
        port: f.port.trim(),
        bauds: f.bauds,
        parities: f.parities,
        stopBits: f.stopBits,
        units: { from, to },
      },
      probes: f.bauds.length * f.parities.length * f.stopBits.length * units,
    };
  }
  const hosts = f.hosts
    .split(/[\s,;]+/)
    .map((h) => h.trim())
    .filter(Boolean);
  if (!hosts.length) return { ok: false, problem: i18n.t('discovery.problem.hosts') };
  const port = Number(f.tcpPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { ok: false, problem: i18n.t('discovery.problem.tcpPort') };
  return {
    ok: true,
    req: { protocol: 'tcp', hosts, port, units: { from, to } },
    probes: hosts.length * units,
  };
}
