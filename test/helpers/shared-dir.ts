import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared folder (specs, corpora, meter maps) sits beside the repository clone. */
export const SHARED = resolve(import.meta.dirname, '../../../shared');

/**
 * A path inside ../shared that a test cannot run without: a missing one fails with a message
 * naming the path, instead of an empty loop that passes or a bare ENOENT.
 */
export function sharedPath(...parts: string[]): string {
  const p = join(SHARED, ...parts);
  if (!existsSync(p))
    throw new Error(`${p} is missing: the shared corpora must be checked out beside the repository`);
  return p;
}
