import { P1Framer, type P1Frame } from '../protocol/p1/framer.js';
import { parseP1Frame } from '../protocol/p1/parser.js';
import { looksLike7E1, stripParity } from '../protocol/p1/seven-bit.js';
import { SerialTransport } from '../transport/serial.js';
import type { SerialSettings, Transport } from '../transport/transport.js';

export type P1LineSettings = Omit<SerialSettings, 'path'>;

/** DSMR 4/5 first (today's meters), then DSMR 2.2/3. */
export const P1_CANDIDATES: readonly P1LineSettings[] = [
  { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 },
];

/**
 * What one listening attempt saw. `telegram`: a whole telegram in the view that fits the settings.
 * `telegram_7e1`: a whole telegram only once bit 7 is taken as parity, on 8-bit settings (a 7E1
 * meter at this speed, or a pty that ignores speeds). `header`: no whole telegram, but "/XXX5".
 */
export type P1AttemptOutcome =
  'telegram' | 'telegram_7e1' | 'header' | 'unreadable' | 'no_data' | 'open_failed';

export interface P1DetectAttempt {
  settings: P1LineSettings;
  outcome: P1AttemptOutcome;
  bytes: number;
  detail?: string;
}

export interface P1DetectProgress {
  attempt: number;
  of: number;
  settings: P1LineSettings;
  phase: 'listening' | 'done';
  outcome?: P1AttemptOutcome;
}

export type P1DetectResult =
  | {
      ok: true;
      settings: SerialSettings;
      /** "5.0", "4.2", "2.2/3.0"… as the telegram shows it; null when only a header was seen. */
      dsmr: string | null;
      versionLabel: string | null;
      header: string | null;
      crc: 'valid' | 'absent' | 'unknown';
      /** 'telegram': a whole checked telegram; 'header': only a plausible identification line. */
      evidence: 'telegram' | 'header';
      attempts: P1DetectAttempt[];
    }
  | {
      ok: false;
      reason: 'aborted' | 'open_failed' | 'no_data' | 'no_telegram';
      detail: string;
      attempts: P1DetectAttempt[];
    };

export interface P1DetectOptions {
  /** Listening time per setting; default 12 s, enough for one DSMR 2.2–4 interval (10 s). */
  listenMs?: number;
  candidates?: readonly P1LineSettings[];
  signal?: AbortSignal;
  onProgress?: (progress: P1DetectProgress) => void;
}

const HEADER = /\/([A-Za-z]{3}\d[^\r\n/]{0,64})\r?\n/;
const SAMPLE_BYTES = 4096;

interface Found {
  attempt: P1DetectAttempt;
  frame?: P1Frame;
  header?: string;
}

/** Listens on `path` with each candidate setting in turn and reports the first that carries telegrams. */
export async function detectP1(path: string, options: P1DetectOptions = {}): Promise<P1DetectResult> {
  const candidates = options.candidates ?? P1_CANDIDATES;
  const listenMs = options.listenMs ?? 12_000;
  const seen: Found[] = [];
  for (const [i, settings] of candidates.entries()) {
    if (options.signal?.aborted) break;
    options.onProgress?.({ attempt: i + 1, of: candidates.length, settings, phase: 'listening' });
    const found = await listen(
      new SerialTransport({ path, ...settings }),
      settings,
      listenMs,
      options.signal,
    );
    seen.push(found);
    options.onProgress?.({
      attempt: i + 1,
      of: candidates.length,
      settings,
      phase: 'done',
      outcome: found.attempt.outcome,
    });
    if (found.attempt.outcome === 'telegram') break;
  }
  const attempts = seen.map((s) => s.attempt);
  if (options.signal?.aborted)
    return { ok: false, reason: 'aborted', detail: `detection on ${path} cancelled`, attempts };
  const best =
    seen.find((s) => s.attempt.outcome === 'telegram') ??
    seen.find((s) => s.attempt.outcome === 'telegram_7e1') ??
    seen.find((s) => s.attempt.outcome === 'header');
  if (!best) {
    if (attempts.every((a) => a.outcome === 'open_failed')) {
      return {
        ok: false,
        reason: 'open_failed',
        detail: attempts[0]?.detail ?? `cannot open ${path}`,
        attempts,
      };
    }
    const quiet = attempts.every((a) => a.outcome === 'no_data' || a.outcome === 'open_failed');
    const detail = quiet
      ? `no data on ${path}: is the cable in and the Data Request line (pin 2) powered?`
      : `data on ${path} but no P1 telegram in any of ${attempts.length} settings`;
    return { ok: false, reason: quiet ? 'no_data' : 'no_telegram', detail, attempts };
  }
  const settings: SerialSettings = {
    path,
    ...(best.attempt.outcome === 'telegram_7e1'
      ? { ...best.attempt.settings, dataBits: 7, parity: 'even' }
      : best.attempt.settings),
  };
  const parsed = best.frame ? parseP1Frame(best.frame) : undefined;
  const telegram = parsed?.ok ? parsed.telegram : undefined;
  return {
    ok: true,
    settings,
    dsmr: telegram?.version.dsmr ?? null,
    versionLabel: telegram?.version.label ?? null,
    header: telegram?.header.raw ?? best.header ?? null,
    crc: best.frame ? (best.frame.crc ? 'valid' : 'absent') : 'unknown',
    evidence: best.frame ? 'telegram' : 'header',
    attempts,
  };
}

/**
 * Feeds what arrives to two framers: as received, and with bit 7 dropped. The bytes as received
 * say which view is right: 7E1 text read with 8 bits has even parity on every byte.
 */
function listen(
  transport: Transport,
  settings: P1LineSettings,
  ms: number,
  signal?: AbortSignal,
): Promise<Found> {
  const sevenBit = settings.dataBits === 7;
  const raw = new P1Framer();
  const stripped = new P1Framer();
  const sample: Buffer[] = [];
  let bytes = 0;
  return new Promise<Found>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let opened: Promise<unknown> = Promise.resolve();
    const finish = (found: Omit<Found, 'attempt'> & { outcome: P1AttemptOutcome; detail?: string }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      transport.off('data', onData);
      const attempt: P1DetectAttempt = { settings, outcome: found.outcome, bytes };
      if (found.detail !== undefined) attempt.detail = found.detail;
      const result: Found = { attempt };
      if (found.frame) result.frame = found.frame;
      if (found.header !== undefined) result.header = found.header;
      // Close only after open settled, or a port opened late would stay open.
      void opened
        .then(() => transport.close())
        .catch(() => undefined)
        .finally(() => resolve(result));
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (sample.reduce((n, b) => n + b.length, 0) < SAMPLE_BYTES) sample.push(chunk);
      const asSent = raw.push(chunk).find((e) => e.type === 'frame');
      const asSeven = stripped.push(stripParity(chunk)).find((e) => e.type === 'frame');
      if (asSent?.type === 'frame' && !sevenBit) finish({ outcome: 'telegram', frame: asSent.frame });
      else if (asSeven?.type === 'frame') {
        const parityInBit7 = looksLike7E1(Buffer.concat(sample));
        if (sevenBit) finish({ outcome: 'telegram', frame: asSeven.frame });
        else if (parityInBit7) finish({ outcome: 'telegram_7e1', frame: asSeven.frame });
      }
    };
    const onAbort = (): void => finish({ outcome: bytes > 0 ? 'unreadable' : 'no_data', detail: 'aborted' });
    const onTimeout = (): void => {
      if (bytes === 0) return finish({ outcome: 'no_data' });
      const all = Buffer.concat(sample);
      const header = HEADER.exec(stripParity(all).toString('latin1'))?.[1];
      if (header !== undefined) return finish({ outcome: 'header', header });
      finish({ outcome: 'unreadable', detail: `${bytes} bytes, no "/XXX5" identification line` });
    };
    if (signal?.aborted) return finish({ outcome: 'no_data', detail: 'aborted' });
    signal?.addEventListener('abort', onAbort);
    transport.on('data', onData);
    opened = transport.open().then(
      () => {
        if (!done) timer = setTimeout(onTimeout, ms);
      },
      (err: unknown) =>
        finish({ outcome: 'open_failed', detail: err instanceof Error ? err.message : String(err) }),
    );
  });
}
