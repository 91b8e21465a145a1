import { fail, ok, type Result } from './errors.js';
import { decodeFixedData, type MbusFixedData } from './fixed-data.js';
import {
  decodeLongHeader,
  decodeShortHeader,
  LONG_HEADER_LENGTH,
  SHORT_HEADER_LENGTH,
  type MbusHeader,
  type MbusShortHeader,
} from './header.js';
import { decodeRecords, type MbusRecord } from './records.js';
import { decodeSecondaryAddress, type SecondaryAddress } from './secondary-address.js';

/** CI field values (EN 13757-3) this decoder understands. */
export const Ci = {
  applicationReset: 0x50,
  dataSend: 0x51,
  select: 0x52,
  selectMode2: 0x56,
  applicationError: 0x70,
  alarm: 0x71,
  variable: 0x72,
  fixed: 0x73,
  variableMode2: 0x76,
  fixedMode2: 0x77,
  variableNoHeader: 0x78,
  variableShortHeader: 0x7a,
  /** 0xB8–0xBF: switch to 300 … 38400 baud. */
  baudRateFirst: 0xb8,
} as const;

export const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

export type MbusUserData =
  | {
      kind: 'variable';
      ci: number;
      /** CI 0x76: multi-byte fields are sent most significant byte first (deprecated mode 2). */
      msbFirst: boolean;
      header?: MbusHeader;
      shortHeader?: MbusShortHeader;
      records: MbusRecord[];
      moreRecordsFollow: boolean;
    }
  | { kind: 'fixed'; ci: number; msbFirst: boolean; fixed: MbusFixedData }
  | { kind: 'application-error'; ci: number; code: number | undefined; message: string }
  | { kind: 'alarm'; ci: number; alarm: number | undefined }
  | { kind: 'application-reset'; ci: number; subcode: number | undefined }
  | { kind: 'data-send'; ci: number; records: MbusRecord[] }
  | { kind: 'select'; ci: number; mask: SecondaryAddress }
  | { kind: 'set-baud-rate'; ci: number; baudRate: BaudRate };

const APPLICATION_ERRORS: readonly string[] = [
  'unspecified error',
  'unimplemented CI field',
  'buffer too long, truncated',
  'too many records',
  'premature end of record',
  'more than 10 DIFEs',
  'more than 10 VIFEs',
  'reserved',
  'application too busy for handling readout request',
  'too many readouts',
];

export function applicationErrorText(code: number | undefined): string {
  if (code === undefined) return 'unspecified error (no error code sent)';
  return APPLICATION_ERRORS[code] ?? `reserved application error 0x${code.toString(16).padStart(2, '0')}`;
}

/** Decodes the application layer: the CI field and the user data after it. Never throws. */
export function decodeUserData(ci: number, data: Uint8Array): Result<MbusUserData> {
  switch (ci) {
    case Ci.variable:
    case Ci.variableMode2: {
      const msbFirst = ci === Ci.variableMode2;
      const header = decodeLongHeader(data, msbFirst);
      if (!header.ok) return header;
      const area = decodeRecords(data, LONG_HEADER_LENGTH, msbFirst);
      if (!area.ok) return area;
      return ok({ kind: 'variable', ci, msbFirst, header: header.value, ...area.value });
    }
    case Ci.variableShortHeader: {
      const header = decodeShortHeader(data);
      if (!header.ok) return header;
      const area = decodeRecords(data, SHORT_HEADER_LENGTH, false);
      if (!area.ok) return area;
      return ok({ kind: 'variable', ci, msbFirst: false, shortHeader: header.value, ...area.value });
    }
    case Ci.variableNoHeader: {
      const area = decodeRecords(data, 0, false);
      if (!area.ok) return area;
      return ok({ kind: 'variable', ci, msbFirst: false, ...area.value });
    }
    case Ci.fixed:
    case Ci.fixedMode2: {
      const fixed = decodeFixedData(data, ci === Ci.fixedMode2);
      if (!fixed.ok) return fixed;
      return ok({ kind: 'fixed', ci, msbFirst: ci === Ci.fixedMode2, fixed: fixed.value });
    }
    case Ci.applicationError: {
      const code = data[0];
      return ok({ kind: 'application-error', ci, code, message: applicationErrorText(code) });
    }
    case Ci.alarm:
      return ok({ kind: 'alarm', ci, alarm: data[0] });
    case Ci.applicationReset:
      return ok({ kind: 'application-reset', ci, subcode: data[0] });
    case Ci.dataSend: {
      const area = decodeRecords(data, 0, false);
      if (!area.ok) return area;
      return ok({ kind: 'data-send', ci, records: area.value.records });
    }
    case Ci.select:
    case Ci.selectMode2:
      if (data.length < 8)
        return fail('header-too-short', `selection needs 8 bytes, the telegram has ${data.length}`);
      return ok({ kind: 'select', ci, mask: decodeSecondaryAddress(data, ci === Ci.selectMode2) });
    default: {
      const baudRate = BAUD_RATES[ci - Ci.baudRateFirst];
      if (ci >= Ci.baudRateFirst && baudRate !== undefined)
        return ok({ kind: 'set-baud-rate', ci, baudRate });
      return fail(
        'unimplemented-ci',
        `CI 0x${ci.toString(16).padStart(2, '0').toUpperCase()} is not implemented`,
      );
    }
  }
}
