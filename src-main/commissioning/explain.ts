import { ModbusError } from '../bus/errors.js';
import { EXCEPTION_NAMES } from '../protocol/modbus/pdu.js';

/** Exception codes in the words a technician acts on. */
const EXCEPTION_HINTS: Record<number, string> = {
  1: 'the meter does not accept this request (exception 1: illegal function): it may be locked, need a password or set-up mode first, or the setting is read-only on this variant',
  2: 'the meter has no such register (exception 2: illegal data address): this variant lacks the setting',
  3: 'the meter refused the value (exception 3: illegal data value): outside what it accepts, or not allowed in its current mode',
  4: 'the meter failed while applying it (exception 4: slave device failure)',
  6: 'the meter is busy (exception 6): try again in a moment',
  10: 'the gateway has no path to this unit id (exception 10)',
  11: 'the gateway got no answer from this unit id (exception 11)',
};

export const LOCKED_MESSAGE =
  'the meter refuses writes: its front selector is in the locked position (3); turn it to 0, 1 or 2 and try again';

export function explainException(code: number | undefined): string {
  if (code !== undefined && EXCEPTION_HINTS[code]) return EXCEPTION_HINTS[code];
  return `the meter answered exception ${code ?? '?'} (${EXCEPTION_NAMES[code ?? 0] ?? 'unknown'})`;
}

/** Any failed request in words: exceptions explained, silence and line trouble named as such. */
export function explainFailure(e: unknown): string {
  if (!(e instanceof ModbusError)) return (e as Error).message;
  switch (e.kind) {
    case 'exception':
      return explainException(e.exceptionCode);
    case 'timeout':
      return `no answer from unit ${e.context.unit} on ${e.context.endpoint} (timeout)`;
    case 'crc':
      return 'the reply was garbled (bad CRC): check the wiring, termination and interference';
    case 'disconnected':
      return `the line went away: ${e.message}`;
    default:
      return e.message;
  }
}
