import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../src-main/api/throttle.js';
import { primaryMac } from '../../src-main/api/webapi/mac.js';

describe('FailureThrottle', () => {
  it('locks a key after maxFailures, doubles the lock per further failure, forgets after success or the window', () => {
    let now = 0;
    const t = new FailureThrottle({
      maxFailures: 3,
      windowMs: 60_000,
      lockMs: 1000,
      maxLockMs: 3000,
      now: () => now,
    });
    t.fail('a');
    t.fail('a');
    expect(t.check('a')).toEqual({ blocked: false });
    t.fail('a');
    expect(t.check('a')).toEqual({ blocked: true, retryAfterS: 1 });
    expect(t.check('b')).toEqual({ blocked: false });
    now = 1000;
    expect(t.check('a')).toEqual({ blocked: false });
    t.fail('a'); // 4th failure: 2 s
    expect(t.check('a')).toEqual({ blocked: true, retryAfterS: 2 });
    now = 3000;
    t.fail('a'); // 5th: 4 s, capped at 3 s
    expect(t.check('a')).toEqual({ blocked: true, retryAfterS: 3 });
    t.succeed('a');
    expect(t.check('a')).toEqual({ blocked: false });
    t.fail('c');
    t.fail('c');
    now = 100_000; // the window passed: the count starts over
    t.fail('c');
    expect(t.check('c')).toEqual({ blocked: false });
  });

  it('keeps a bounded number of keys', () => {
    const t = new FailureThrottle({
      maxFailures: 1,
      windowMs: 60_000,
      lockMs: 1000,
      maxLockMs: 1000,
      maxKeys: 100,
    });
    for (let i = 0; i < 10_000; i++) t.fail(`ip-${i}`);
    const blocked = Array.from({ length: 10_000 }, (_, i) => t.check(`ip-${i}`).blocked).filter(
      Boolean,
    ).length;
    expect(blocked).toBeLessThanOrEqual(100);
    expect(blocked).toBeGreaterThan(50);
    expect(t.check('ip-9999').blocked).toBe(true);
  });
});

describe('primaryMac', () => {
  const iface = (mac: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
    family === 'IPv4'
      ? { address: '192.168.1.2', netmask: '255.255.255.0', family, mac, internal, cidr: null }
      : {
          address: 'fe80::1',
          netmask: 'ffff:ffff:ffff:ffff::',
          family,
          mac,
          internal,
          cidr: null,
          scopeid: 0,
        };

  it('takes the first non-internal interface by name with IPv4, upper-cased', () => {
    expect(
      primaryMac('SN', {
        lo: [iface('00:00:00:00:00:00', 'IPv4', true)],
        wlan0: [iface('aa:bb:cc:dd:ee:01', 'IPv4')],
        eth0: [iface('aa:bb:cc:dd:ee:02', 'IPv6'), iface('aa:bb:cc:dd:ee:02', 'IPv4')],
        docker0: [iface('02:42:00:00:00:00', 'IPv6')],
      }),
    ).toBe('AA:BB:CC:DD:EE:02');
    expect(primaryMac('SN', { docker0: [iface('02:42:00:00:00:09', 'IPv6')] })).toBe('02:42:00:00:00:09');
  });

  it('falls back to a stable locally administered unicast address derived from the serial number', () => {
    const a = primaryMac('EMSC-1', { lo: [iface('00:00:00:00:00:00', 'IPv4', true)] });
    expect(a).toBe(primaryMac('EMSC-1', {}));
    expect(a).not.toBe(primaryMac('EMSC-2', {}));
    expect(a).toMatch(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    const first = parseInt(a.slice(0, 2), 16);
    expect(first & 0x02).toBe(2);
    expect(first & 0x01).toBe(0);
  });
});
