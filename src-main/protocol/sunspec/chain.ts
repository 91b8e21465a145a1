/** "SunS" as two registers: the marker every SunSpec device holds at its base address. */
export const SUNS_MARKER = [0x5375, 0x6e53] as const;
/** Where devices put the marker, in the order the specification tells a client to look. */
export const BASE_ADDRESSES = [40000, 0, 50000] as const;
export const END_MODEL_ID = 0xffff;
/** A chain longer than this is not SunSpec but noise; stops a walk that never meets the end marker. */
const MAX_MODELS = 64;

export interface ChainEntry {
  id: number;
  /** Address of the model's ID register. */
  address: number;
  /** The L register: registers after ID and L. */
  length: number;
}

export interface SunSpecChain {
  base: number;
  models: ChainEntry[];
}

export function isMarker(words: readonly number[] | null | undefined): boolean {
  return !!words && words[0] === SUNS_MARKER[0] && words[1] === SUNS_MARKER[1];
}

export class ChainError extends Error {
  constructor(
    readonly base: number,
    reason: string,
  ) {
    super(`SunSpec chain at ${base}: ${reason}`);
    this.name = 'ChainError';
  }
}

/**
 * Walks the model chain after the marker at `base`: each header (ID, L) points to the next at
 * address + 2 + L, known or not, until the end marker (ID 0xFFFF). `read` returns two registers or
 * null when the device refuses them (then the chain ends there, as some devices omit the end model).
 */
export async function walkChain(
  base: number,
  read: (address: number, count: number) => Promise<readonly number[] | null>,
): Promise<SunSpecChain> {
  const models: ChainEntry[] = [];
  let at = base + 2;
  for (let i = 0; i < MAX_MODELS; i++) {
    if (at + 2 > 0x10000) break;
    const h = await read(at, 2);
    if (!h || h.length < 2) break;
    const [id, length] = h as [number, number];
    if (id === END_MODEL_ID || id === 0) break;
    if (at + 2 + length > 0x10000)
      throw new ChainError(base, `model ${id} at ${at} runs past register 65535`);
    models.push({ id, address: at, length });
    at += 2 + length;
  }
  if (models.length === MAX_MODELS) throw new ChainError(base, `no end marker after ${MAX_MODELS} models`);
  if (!models.length) throw new ChainError(base, 'the marker is followed by no model');
  return { base, models };
}
