import type { Signal } from '../../../src-preload/contract/domain.js';

/** Where everything of one installation goes under the configured prefix (documented in the README). */
export const topics = {
  /** `online` while running (retained); the broker's last will sets `offline` when the process dies. */
  availability: (prefix: string): string => `${prefix}/status`,
  /** `online` while the device answers its polls, `offline` when it is stale (retained). */
  deviceAvailability: (prefix: string, did: number): string => `${prefix}/${did}/availability`,
  /** One signal's value as plain text: `230.1`. */
  state: (prefix: string, s: Pick<Signal, 'did' | 'lid' | 'key'>): string =>
    `${prefix}/${s.did}/${s.lid}/${s.key}`,
};

/** Values as plain text: numbers as JavaScript prints them, booleans as true/false. */
export function payloadOf(v: number | string | boolean | null): string {
  if (v === null) return '';
  return typeof v === 'string' ? v : String(v);
}
