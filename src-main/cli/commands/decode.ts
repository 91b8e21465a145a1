import { readFileSync } from 'node:fs';
import { decodeMbusInput, formatMbusDecoding } from '../decode-mbus.js';
import { decodeP1Input, formatP1Decoding } from '../decode-p1.js';
import { oneOf, OperationError, parse, UsageError, type Io } from '../args.js';

const USAGE = 'ems-commissioner decode mbus|p1 FILE [--json]   (FILE "-" reads standard input)';

type Decoder = (input: Buffer) => { ok: boolean; text: string; json: unknown };

const DECODERS: Record<string, Decoder> = {
  mbus: (input) => {
    const r = decodeMbusInput(input);
    return { ok: r.frames.some((f) => f.ok), text: formatMbusDecoding(r), json: r };
  },
  p1: (input) => {
    const r = decodeP1Input(input);
    return { ok: r.telegrams.length > 0, text: formatP1Decoding(r), json: r };
  },
};

/** Decodes a captured frame or telegram so a technician can see what the meter said. */
export async function decode(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {}, USAGE);
  const kind = oneOf(positionals[0], 'protocol (mbus|p1)', Object.keys(DECODERS));
  const file = positionals[1];
  if (!file) throw new UsageError(`a FILE is required\nusage: ${USAGE}`);
  let input: Buffer;
  try {
    input = file === '-' ? Buffer.from(await io.readStdin(), 'latin1') : readFileSync(file);
  } catch (e) {
    throw new OperationError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const decoder = DECODERS[kind]!;
  const r = decoder(input);
  io.out(values.json ? JSON.stringify(r.json, null, 2) : r.text);
  if (!r.ok) throw new OperationError(`nothing in ${file} decoded as ${kind}`);
  return 0;
}
