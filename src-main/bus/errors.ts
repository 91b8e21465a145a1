import { EXCEPTION_NAMES } from '../protocol/modbus/pdu.js';

export type ModbusErrorKind =
  'timeout' | 'crc' | 'exception' | 'malformed' | 'disconnected' | 'cancelled' | 'closed';

export interface ModbusErrorContext {
  endpoint: string;
  unit: number;
  fc: number;
  address?: number;
  count?: number;
  exceptionCode?: number;
}

/** Every failed request carries where it happened and why, so a technician can act on it. */
export class ModbusError extends Error {
  constructor(
    readonly kind: ModbusErrorKind,
    readonly context: ModbusErrorContext,
    detail?: string,
  ) {
    super(describe(kind, context, detail));
    this.name = 'ModbusError';
  }

  get exceptionCode(): number | undefined {
    return this.context.exceptionCode;
  }
}

function describe(kind: ModbusErrorKind, c: ModbusErrorContext, detail?: string): string {
  const where = `${c.endpoint} unit ${c.unit} fc ${c.fc}${c.address !== undefined ? ` @${c.address}` : ''}${c.count ? `+${c.count}` : ''}`;
  const what =
    kind === 'exception'
      ? `exception ${c.exceptionCode} (${EXCEPTION_NAMES[c.exceptionCode ?? 0] ?? 'unknown'})`
      : kind === 'timeout'
        ? 'no answer (timeout)'
        : kind === 'crc'
          ? 'reply with a bad CRC'
          : kind;
  return `${where}: ${what}${detail ? `: ${detail}` : ''}`;
}
