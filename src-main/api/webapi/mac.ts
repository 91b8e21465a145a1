import { createHash } from 'node:crypto';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

const ZERO = '00:00:00:00:00:00';

const format = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

/**
 * MAC address of the host's primary interface: the first (by name) non-internal interface with an
 * IPv4 address, else any non-internal one. Without any, a stable locally administered address derived
 * from the installation's serial number, so the answer never changes between calls.
 */
export function primaryMac(
  serialNumber: string,
  ifaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  const candidates = Object.entries(ifaces)
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, list]) => (list ?? []).filter((i) => !i.internal && i.mac && i.mac !== ZERO));
  const pick = candidates.find((i) => i.family === 'IPv4') ?? candidates[0];
  if (pick) return pick.mac.toUpperCase();
  const h = createHash('sha256').update(`ems-commissioner:${serialNumber}`).digest().subarray(0, 6);
  // Locally administered (bit 1 set), unicast (bit 0 clear): cannot collide with a vendor address.
  h[0] = ((h[0] ?? 0) | 0x02) & 0xfe;
  return format(h);
}
