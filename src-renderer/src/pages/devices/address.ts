import type { ModelSummary, TreeDevice } from '../../../../src-preload/contract/index.js';
import { i18n } from '../../i18n/index.js';

/**
 * Where a device is reached, as a technician writes it: `10.0.0.5:502 · unit 1`,
 * `/dev/ttyUSB0 · 9600 8N1 · unit 3`, `/dev/ttyUSB1 · 2400 · primary 5`.
 */
export function connectionText(d: TreeDevice): string {
  const c = d.connection as unknown as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof c.host === 'string') parts.push(`${c.host}:${String(c.port)}`);
  else if (typeof c.port === 'string') {
    parts.push(c.port);
    if (d.protocol === 'meterBus') parts.push(String(c.baud));
    else {
      const parity = typeof c.parity === 'string' ? (c.parity[0]?.toUpperCase() ?? 'N') : 'N';
      parts.push(`${String(c.baud)} ${String(c.dataBits ?? 8)}${parity}${String(c.stopBits ?? 1)}`);
    }
  } else return '—';
  if (c.unit !== undefined) parts.push(i18n.t('devices.address.unit', { unit: String(c.unit) }));
  if (c.primary !== undefined) parts.push(i18n.t('devices.address.primary', { address: String(c.primary) }));
  if (typeof c.secondary === 'string') parts.push(i18n.t('devices.address.secondary', { id: c.secondary }));
  if (c.rtuOverTcp) parts.push(i18n.t('devices.address.rtuOverTcp'));
  return parts.join(' · ');
}

/**
 * The model as the library names it (vendor and name), else its id. A device without a library model
 * (M-Bus, P1, one added by hand) is named by what it reported: its part number (`DSMR 5.0`,
 * `EMS-v1`). Null only when there is nothing to name (virtual devices).
 */
export function modelText(d: TreeDevice, models: Map<string, ModelSummary>): string | null {
  if (d.model) {
    const m = models.get(d.model);
    return m ? `${m.vendor} ${m.name}` : d.model;
  }
  return d.partNumber && d.partNumber !== 'virtual' ? d.partNumber : null;
}
