import { isIP } from 'node:net';

/** A /16 is 65,534 hosts: already a long scan. Larger ranges are refused, not silently cut. */
const MAX_HOSTS = 65_536;

export class HostListError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`host list "${input}": ${reason}`);
    this.name = 'HostListError';
  }
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * "10.0.0.5,10.0.1.0/29,gw.local" → the hosts to try. A CIDR range leaves out its network and
 * broadcast address (except /31 and /32, which have none).
 */
export function expandHosts(input: string): string[] {
  const out: string[] = [];
  for (const raw of input.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(part);
    if (cidr) {
      const [, base = '', bitsText = ''] = cidr;
      const bits = Number(bitsText);
      if (isIP(base) !== 4 || bits > 32)
        throw new HostListError(input, `"${part}" is not an IPv4 CIDR range`);
      const size = 2 ** (32 - bits);
      if (size > MAX_HOSTS)
        throw new HostListError(input, `"${part}" has ${size} addresses; the limit is a /16`);
      const network = ipv4ToInt(base) - (ipv4ToInt(base) % size);
      const first = size > 2 ? network + 1 : network;
      const last = size > 2 ? network + size - 2 : network + size - 1;
      for (let n = first; n <= last; n++) out.push(intToIpv4(n));
      continue;
    }
    if (isIP(part) || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(part)) {
      out.push(part);
      continue;
    }
    throw new HostListError(input, `"${part}" is neither an address, a host name nor a CIDR range`);
  }
  const unique = [...new Set(out)];
  if (!unique.length) throw new HostListError(input, 'no hosts');
  if (unique.length > MAX_HOSTS)
    throw new HostListError(input, `${unique.length} hosts; the limit is ${MAX_HOSTS}`);
  return unique;
}
