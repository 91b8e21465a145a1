import type { FoundDevice } from './scan-types.js';

/** Where a found device sits on its line, without the unit id: the same line at the same settings. */
function lineOf(d: FoundDevice): string {
  const c = d.connection;
  return 'host' in c ? `${c.host}:${c.port}` : `${c.port}@${c.baud}${c.parity}`;
}

function fingerprint(d: FoundDevice): string {
  return JSON.stringify([d.idRegisters.map((r) => [r.words, r.exception ?? null]), d.serialNumber ?? null]);
}

/**
 * Identical meters share their model code, so equal id registers alone prove nothing; equal id
 * registers AND the same serial number at several unit ids are one device answering every id.
 * Without a serial number only many equal answers are suspicious (a gateway answering all ids).
 */
const SAME_WITHOUT_SERIAL = 8;

/**
 * Marks answers that cannot be separate meters: the same device (same serial number) at several unit
 * ids, or a flood of identical answers. The lowest id is kept as the device; the rest are flagged.
 */
export function flagEchoes(found: readonly FoundDevice[]): FoundDevice[] {
  const groups = new Map<string, FoundDevice[]>();
  for (const d of found) {
    if (d.kind === 'not-a-meter') continue;
    const key = `${lineOf(d)}|${fingerprint(d)}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const flagged = new Map<FoundDevice, FoundDevice>();
  for (const members of groups.values()) {
    const withSerial = members[0]?.serialNumber !== undefined;
    if (members.length < (withSerial ? 2 : SAME_WITHOUT_SERIAL)) continue;
    const sorted = [...members].sort((a, b) => a.connection.unit - b.connection.unit);
    const [keep, ...rest] = sorted;
    if (!keep) continue;
    const ids = sorted.map((d) => d.connection.unit).join(', ');
    flagged.set(keep, {
      ...keep,
      note: `the same answer${withSerial ? ' and serial number' : ''} comes from unit ids ${ids}: one device (or a gateway) answering several ids`,
    });
    for (const d of rest)
      flagged.set(d, {
        ...d,
        kind: 'not-a-meter',
        note: `same device as unit ${keep.connection.unit}: it answers for several unit ids`,
      });
  }
  return found.map((d) => flagged.get(d) ?? d);
}
