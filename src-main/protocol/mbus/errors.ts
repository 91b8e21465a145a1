/**
 * Every way an M-Bus byte sequence can fail to decode. Decoders return these instead of throwing, so a
 * malformed telegram from the field never takes the engine down and always tells the technician why.
 */
export type MbusErrorCode =
  /** Link layer: the bytes do not form a frame (bad start/stop byte, L fields differ, L too small). */
  | 'bad-frame'
  | 'bad-checksum'
  /** The bytes end before the frame or field they started is complete. */
  | 'premature-end'
  /** Bytes follow a complete frame where none were expected. */
  | 'trailing-bytes'
  /** Application header shorter than its CI field requires. */
  | 'header-too-short'
  | 'too-many-dife'
  | 'too-many-vife'
  /** A special-function DIF whose record layout the standard leaves open (0x3F…0x6F, 0x7F in a reply). */
  | 'unsupported-dif'
  /** Plain-text VIF or variable-length data with a length that cannot be right. */
  | 'bad-length'
  | 'unimplemented-ci'
  /** Input text that is not hex. */
  | 'bad-hex';

export interface MbusError {
  code: MbusErrorCode;
  message: string;
  /** Byte offset of the problem inside the decoded buffer (user data for application errors). */
  offset?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: MbusError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: MbusErrorCode, message: string, offset?: number): Result<T> {
  return { ok: false, error: offset === undefined ? { code, message } : { code, message, offset } };
}
