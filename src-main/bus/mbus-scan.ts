import { Address } from '../protocol/mbus/frame.js';
import type { MbusRecord } from '../protocol/mbus/records.js';
import {
  formatSecondaryAddress,
  WILDCARD_MASK,
  type SecondaryAddress,
} from '../protocol/mbus/secondary-address.js';
import type { MbusMaster, MbusReading } from './mbus-master.js';

export interface MbusScanProgress {
  done: number;
  /** Steps known so far; a secondary search adds steps whenever it meets a collision. */
  total: number;
  /** The primary address or the secondary-address mask being tried. */
  current: string;
}

interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (p: MbusScanProgress) => void;
  /** Called as soon as a meter is found, before the scan ends. */
  onFound?: (meter: MbusFoundMeter) => void;
}

export interface PrimaryScanOptions extends ScanOptions {
  from?: number;
  to?: number;
  /** Extra SND_NKE attempts per address (a full scan at 2400 baud takes ~50 s per attempt). */
  retries?: number;
}

export interface SecondaryScanOptions extends ScanOptions {
  /** Start from a partly known address, e.g. only one manufacturer; defaults to all wildcards. */
  mask?: SecondaryAddress;
  /** Extra selection attempts when nobody answers (noisy lines); each costs one response window. */
  retries?: number;
}

export interface MbusFoundMeter {
  /** Address the meter answered on; for a secondary search, the A field of its reply. */
  primaryAddress?: number;
  secondaryAddress?: string;
  id?: string;
  manufacturer?: string;
  version?: number;
  medium?: number;
  mediumName?: string;
  records: MbusRecord[];
  reading?: MbusReading;
  /** The meter answered but could not be read, or two meters share an address that cannot be split. */
  problem?: string;
}

function fromReading(reading: MbusReading, primaryAddress: number): MbusFoundMeter {
  const h = reading.header;
  const found: MbusFoundMeter = { primaryAddress, records: reading.records, reading };
  if (h) {
    Object.assign(found, {
      secondaryAddress: reading.secondaryAddress,
      id: h.id,
      manufacturer: h.manufacturer,
      version: h.version,
      medium: h.medium,
      mediumName: h.mediumName,
    });
  }
  return found;
}

/** SND_NKE to every address in the range; each address that acknowledges is read with REQ_UD2. */
export async function scanPrimary(
  master: MbusMaster,
  options: PrimaryScanOptions,
): Promise<MbusFoundMeter[]> {
  const from = options.from ?? 0;
  const to = options.to ?? Address.maxSlave;
  const found: MbusFoundMeter[] = [];
  const total = to - from + 1;
  for (let address = from; address <= to; address++) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ done: address - from, total, current: String(address) });
    if (!(await master.ping(address, options.retries ?? 0))) continue;
    let meter: MbusFoundMeter;
    try {
      meter = fromReading(await master.read(address), address);
    } catch (err) {
      meter = {
        primaryAddress: address,
        records: [],
        problem: err instanceof Error ? err.message : String(err),
      };
    }
    found.push(meter);
    options.onFound?.(meter);
  }
  options.onProgress?.({ done: total, total, current: String(to) });
  return found;
}

/**
 * Wildcard search over the identification number: select with a mask, and on a collision fix one
 * more digit (most significant first) and try 0–9 there; one clean E5 means exactly one meter
 * matches, which is then read at address 253.
 */
export async function scanSecondary(
  master: MbusMaster,
  options: SecondaryScanOptions,
): Promise<MbusFoundMeter[]> {
  const found: MbusFoundMeter[] = [];
  const progress = { done: 0, total: 1 };
  const start = options.mask ?? WILDCARD_MASK;

  const visit = async (mask: SecondaryAddress): Promise<void> => {
    options.signal?.throwIfAborted();
    const current = formatSecondaryAddress(mask);
    options.onProgress?.({ ...progress, current });
    const result = await master.probe(mask, options.retries ?? 0);
    progress.done += 1;
    if (result === 'absent') return;
    if (result === 'single') {
      let meter: MbusFoundMeter;
      try {
        const reading = await master.readSelected();
        meter = fromReading(reading, reading.replyAddress);
      } catch (err) {
        meter = {
          secondaryAddress: current,
          records: [],
          problem: err instanceof Error ? err.message : String(err),
        };
      }
      found.push(meter);
      options.onFound?.(meter);
      return;
    }
    const position = mask.id.indexOf('F');
    if (position < 0) {
      const problem = 'several meters share this identification number';
      const meter: MbusFoundMeter = { secondaryAddress: current, records: [], problem };
      found.push(meter);
      options.onFound?.(meter);
      return;
    }
    progress.total += 10;
    for (let digit = 0; digit <= 9; digit++) {
      const id = mask.id.slice(0, position) + String(digit) + mask.id.slice(position + 1);
      await visit({ ...mask, id });
    }
  };

  await visit(start);
  options.onProgress?.({ ...progress, current: formatSecondaryAddress(start) });
  return found;
}
