import { crc16Arc, formatCrc } from './crc16.js';

const SLASH = 0x2f;
const BANG = 0x21;
const CR = 0x0d;
const LF = 0x0a;

/** Longest CRC line tail we wait for after "!": four hex digits, CR, and a little slack. */
const MAX_TRAILER = 8;

export type P1LineEnding = 'crlf' | 'lf' | 'mixed';

export interface P1FrameCrc {
  /** The hex text after "!" as sent (real meters may drop leading zeros: "B9F"). */
  text: string;
  declared: number;
  computed: number;
}

export interface P1Frame {
  /** From "/" through the line end after "!" (and its CRC). */
  bytes: Buffer;
  /** Stream offset of the "/" (bytes pushed before it). */
  offset: number;
  /** null when the telegram ends in a bare "!" (DSMR 2.2/3, IEC 62056-21 meters). */
  crc: P1FrameCrc | null;
  lineEnding: P1LineEnding;
}

export type P1FrameErrorReason =
  /** CRC present and wrong. */
  | 'bad_crc'
  /** The text after "!" is not 1–4 hex digits. */
  | 'bad_crc_field'
  /** A telegram started but never ended: a new "/" arrived first, or the input ended. */
  | 'truncated'
  /** Longer than maxTelegramBytes without an end; dropped so garbage cannot grow memory. */
  | 'too_long';

export interface P1FrameError {
  reason: P1FrameErrorReason;
  detail: string;
  offset: number;
  length: number;
  crc?: P1FrameCrc;
  lineEnding?: P1LineEnding;
}

export type P1FrameEvent = { type: 'frame'; frame: P1Frame } | { type: 'error'; error: P1FrameError };

export interface P1FramerOptions {
  /** Default 16 KiB: the longest real telegrams (13-month peaks, 1024-char messages) stay far below. */
  maxTelegramBytes?: number;
}

type State = 'hunt' | 'body' | 'trailer';

/**
 * Incremental telegram framer: push any chunking of a byte stream, get whole telegrams out.
 * Bytes outside "/"…"!" lines are skipped (counted in skippedBytes); a telegram is only handed
 * out once its CRC line is complete and, when it carries a CRC, the CRC matches.
 */
export class P1Framer {
  private readonly store: Buffer;
  private len = 0;
  private state: State = 'hunt';
  private bang = -1;
  private start = 0;
  private consumed = 0;
  private skipped = 0;

  constructor(options: P1FramerOptions = {}) {
    this.store = Buffer.alloc(Math.max(64, options.maxTelegramBytes ?? 16 * 1024));
  }

  /** Bytes thrown away outside any telegram since construction. */
  get skippedBytes(): number {
    return this.skipped;
  }

  /** Bytes of a telegram in progress. */
  get pending(): number {
    return this.len;
  }

  push(chunk: Uint8Array): P1FrameEvent[] {
    const out: P1FrameEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'hunt') {
        const at = chunk.indexOf(SLASH, i);
        const stop = at < 0 ? chunk.length : at;
        this.skipped += stop - i;
        this.consumed += stop - i;
        i = stop;
        if (at >= 0) {
          this.begin();
          this.append(SLASH);
          i++;
        }
        continue;
      }
      const b = chunk[i] ?? 0;
      i++;
      if (b === SLASH) {
        out.push(this.fail('truncated', `a new "/" arrived before the end of this telegram`));
        this.begin();
        this.append(b);
        continue;
      }
      if (this.len >= this.store.length) {
        out.push(this.fail('too_long', `no end after ${this.store.length} bytes`));
        this.skipped += 1;
        this.consumed += 1;
        continue;
      }
      this.append(b);
      if (this.state === 'body') {
        if (b === BANG) {
          this.bang = this.len - 1;
          this.state = 'trailer';
        }
      } else if (b === LF) {
        out.push(this.complete());
      } else if (this.len - this.bang > MAX_TRAILER) {
        out.push(this.fail('bad_crc_field', `no line end within ${MAX_TRAILER} bytes after "!"`));
      }
    }
    return out;
  }

  /** End of input (file end, port closed): a telegram in progress is reported, never emitted. */
  finish(): P1FrameEvent[] {
    if (this.state === 'hunt') return [];
    const ev = this.fail(
      'truncated',
      this.state === 'body' ? 'input ended before the "!" line' : 'input ended inside the "!" line',
    );
    return [ev];
  }

  /** Forget a telegram in progress without reporting it (the link was reopened). */
  reset(): void {
    this.state = 'hunt';
    this.len = 0;
  }

  private begin(): void {
    this.state = 'body';
    this.len = 0;
    this.bang = -1;
    this.start = this.consumed;
  }

  private append(b: number): void {
    this.store[this.len++] = b;
    this.consumed++;
  }

  private fail(reason: P1FrameErrorReason, detail: string, extra?: Partial<P1FrameError>): P1FrameEvent {
    const error: P1FrameError = { reason, detail, offset: this.start, length: this.len, ...extra };
    this.state = 'hunt';
    this.len = 0;
    return { type: 'error', error };
  }

  private complete(): P1FrameEvent {
    const bytes = this.store.subarray(0, this.len);
    const lineEnding = lineEndingOf(bytes, this.bang);
    let text = bytes.toString('latin1', this.bang + 1, this.len - 1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    // Some meters put a NUL between the CRC and CR LF.
    if (text.endsWith('\0')) text = text.slice(0, -1);
    if (text === '') {
      return this.emit({ crc: null, lineEnding });
    }
    if (!/^[0-9A-Fa-f]{1,4}$/.test(text)) {
      return this.fail('bad_crc_field', `"${printable(text)}" after "!" is not a CRC`, { lineEnding });
    }
    const crc: P1FrameCrc = {
      text,
      declared: parseInt(text, 16),
      computed: crc16Arc(bytes, 0, this.bang + 1),
    };
    if (crc.declared === crc.computed) return this.emit({ crc, lineEnding });
    let detail = `CRC mismatch: declared ${formatCrc(crc.declared)}, computed ${formatCrc(crc.computed)}`;
    if (lineEnding !== 'crlf') {
      const which = lineEnding === 'lf' ? 'the line ends are' : 'some line ends are';
      detail +=
        crcWithCrLf(bytes, this.bang + 1) === crc.declared
          ? `; ${which} LF only and with CR LF the CRC matches: CR bytes were lost on the way`
          : `; ${which} LF only (the CRC covers the CR bytes)`;
    }
    return this.fail('bad_crc', detail, { crc, lineEnding });
  }

  private emit(parts: Pick<P1Frame, 'crc' | 'lineEnding'>): P1FrameEvent {
    const frame: P1Frame = {
      bytes: Buffer.from(this.store.subarray(0, this.len)),
      offset: this.start,
      ...parts,
    };
    this.state = 'hunt';
    this.len = 0;
    return { type: 'frame', frame };
  }
}

function lineEndingOf(bytes: Uint8Array, end: number): P1LineEnding {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < end; i++) {
    if (bytes[i] !== LF) continue;
    if (i > 0 && bytes[i - 1] === CR) crlf++;
    else lf++;
  }
  if (lf === 0) return 'crlf';
  return crlf === 0 ? 'lf' : 'mixed';
}

/** The CRC the telegram would have if every bare LF were CR LF (diagnosis of stripped CRs). */
function crcWithCrLf(bytes: Uint8Array, end: number): number {
  let crc = 0;
  let from = 0;
  for (let i = 0; i < end; i++) {
    if (bytes[i] === LF && (i === 0 || bytes[i - 1] !== CR)) {
      crc = crc16Arc(bytes, from, i, crc);
      crc = crc16Arc(CR_BYTE, 0, 1, crc);
      from = i;
    }
  }
  return crc16Arc(bytes, from, end, crc);
}

const CR_BYTE = Uint8Array.of(CR);

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
