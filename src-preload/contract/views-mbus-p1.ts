/**
 * Payloads of M-Bus and P1 discovery. Plain data only, like views.ts: the readouts themselves stay in
 * main (kept by an id for Add); the renderer gets addresses, ids, the medium and a few values.
 */
import type { FoundValue } from './views.js';

/** One meter that answered on the M-Bus line. */
export interface MbusFoundView {
  /** Handle for `mbus.add` while the scan is remembered. */
  id: string;
  primaryAddress: number | null;
  /** 8 id digits + manufacturer + version + medium, as hex: "3100000314C50202". */
  secondaryAddress: string | null;
  /** Identification number (the meter's serial number). */
  meterId: string | null;
  /** Three-letter manufacturer code: "EMS". */
  manufacturer: string | null;
  /** "Electricity", "Heat (outlet)", … */
  medium: string | null;
  baud: number;
  /** Catalogue values of its readout (energy, power, volume, …); empty when it could not be read. */
  firstValues: FoundValue[];
  /** Add needs a readout to configure the meter from. */
  readable: boolean;
  problem: string | null;
}

export interface MbusScanFinished {
  scanId: string;
  outcome: 'done' | 'cancelled' | 'failed';
  message: string | null;
  durationMs: number;
  found: MbusFoundView[];
}

/** One listening attempt of P1 detection: "115200 8N1" and what it saw. */
export interface P1AttemptView {
  settings: string;
  outcome: 'telegram' | 'telegram_7e1' | 'header' | 'unreadable' | 'no_data' | 'open_failed';
  bytes: number;
  detail: string | null;
}

export type P1DetectView =
  | {
      ok: true;
      /** Handle for `p1.add` while the result is remembered. */
      id: string;
      port: string;
      /** "115200 8N1". */
      settings: string;
      /** "5.0", "4.2", "2.2/3.0"; null when only a header was seen. */
      dsmr: string | null;
      versionLabel: string | null;
      /** The identification line: "ISK5\2M550T-1012". */
      header: string | null;
      crc: 'valid' | 'absent' | 'unknown';
      evidence: 'telegram' | 'header';
      attempts: P1AttemptView[];
    }
  | {
      ok: false;
      port: string;
      reason: 'aborted' | 'open_failed' | 'no_data' | 'no_telegram';
      detail: string;
      attempts: P1AttemptView[];
    };
