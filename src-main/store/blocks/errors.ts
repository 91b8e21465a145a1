/** Why a block could not be encoded or decoded. A closed union, so callers can branch on it. */
export type BlockErrorCode =
  /** The bytes end before the block does. */
  | 'truncated'
  /** Bytes left over after the last sample, or non-zero padding bits. */
  | 'trailing'
  /** A format version this build does not know (written by a newer app, or garbage). */
  | 'version'
  /** A kind byte that is not float, text or bool. */
  | 'kind'
  /** A field holds a value the format never writes (count 0, a width past its limit, ...). */
  | 'corrupt'
  /** Encoder input that a block cannot hold: timestamps out of range or going backwards, too many samples. */
  | 'input';

export class BlockError extends Error {
  override readonly name = 'BlockError';

  constructor(
    readonly code: BlockErrorCode,
    message: string,
    /** Bit offset into the block where decoding stopped, when decoding. */
    readonly at?: number,
  ) {
    super(at === undefined ? message : `${message} (at bit ${at})`);
  }
}
