import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../src-main/api/telemetry/duration.js';
import { ceilMs, parseTime, TimeError } from '../../src-main/api/telemetry/time.js';

const S = 1_000_000_000n;

describe('duration strings', () => {
  it('parses Go and Enapter forms exactly, in nanoseconds', () => {
    const cases: [string, bigint][] = [
      ['1s', S],
      ['1.5m', 90n * S],
      ['2h45m', (2n * 3600n + 45n * 60n) * S],
      ['1m0s', 60n * S],
      ['1h0m0s', 3600n * S],
      ['24h0m0s', 86_400n * S],
      ['3600s', 3600n * S],
      ['0', 0n],
      ['0s', 0n],
      ['1d', 86_400n * S],
      ['1y', 365n * 86_400n * S],
      ['500ms', S / 2n],
      ['1us', 1000n],
      ['1µs', 1000n],
      ['1μs', 1000n],
      ['7ns', 7n],
      ['.5s', S / 2n],
      ['1.000000001s', S + 1n],
      ['+2s', 2n * S],
      ['-1m', -60n * S],
      ['1h1m1s1ms1us1ns', 3661n * S + 1_001_001n],
    ];
    for (const [text, ns] of cases) expect(parseDuration(text), text).toBe(ns);
  });

  it('rejects anything else with a DurationError naming the input', () => {
    for (const text of [
      '',
      '1',
      '10',
      's',
      '.s',
      '1sec',
      '1 s',
      '1s ',
      '1S',
      '1m-1s',
      '--1s',
      '1e3s',
      'x'.repeat(65),
      '300y',
    ])
      expect(() => parseDuration(text), text).toThrow(DurationError);
  });

  it('formats like Go’s Duration.String (us for microseconds)', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [S, '1s'],
      [60n * S, '1m0s'],
      [90n * S, '1m30s'],
      [3600n * S, '1h0m0s'],
      [86_400n * S, '24h0m0s'],
      [S + S / 2n, '1.5s'],
      [S / 2n, '500ms'],
      [1500n, '1.5us'],
      [7n, '7ns'],
      [3661n * S + 1n, '1h1m1.000000001s'],
    ];
    for (const [ns, text] of cases) {
      expect(formatDuration(ns)).toBe(text);
      expect(parseDuration(text)).toBe(ns);
    }
  });
});

describe('from/to times', () => {
  it('takes Unix seconds (number or decimal text) and RFC 3339 with up to 9 fractional digits', () => {
    expect(parseTime(1_662_593_249, 'from')).toBe(1_662_593_249n * S);
    expect(parseTime(1.5, 'from')).toBe(S + S / 2n);
    expect(parseTime('1662593249', 'from')).toBe(1_662_593_249n * S);
    expect(parseTime('2022-10-11T00:00:00Z', 'from')).toBe(1_665_446_400n * S);
    expect(parseTime('2022-10-11T00:00:00', 'from')).toBe(1_665_446_400n * S);
    expect(parseTime('2022-10-11t00:00:00z', 'from')).toBe(1_665_446_400n * S);
    expect(parseTime('2022-10-11T02:00:00+02:00', 'from')).toBe(1_665_446_400n * S);
    expect(parseTime('2022-10-10T19:30:00-04:30', 'from')).toBe(1_665_446_400n * S);
    expect(parseTime('2022-10-11T00:00:00.123456789Z', 'from')).toBe(1_665_446_400n * S + 123_456_789n);
    expect(parseTime('2022-10-11T00:00:00.5Z', 'from')).toBe(1_665_446_400n * S + S / 2n);
    expect(parseTime('2024-02-29T00:00:00Z', 'from')).toBe(1_709_164_800n * S);
    expect(parseTime('1969-12-31T23:59:59.5Z', 'from')).toBe(-S / 2n);
    // Years below 100 stay as written (Date.UTC would make 99 into 1999).
    expect(parseTime('0099-01-01T00:00:00Z', 'from')).toBe(
      BigInt(new Date('0099-01-01T00:00:00Z').getTime() / 1000) * S,
    );
  });

  it('rejects malformed or impossible times with a TimeError naming the field', () => {
    for (const v of [
      '',
      'now',
      '2023-02-29T00:00:00Z',
      '2022-13-01T00:00:00Z',
      '2022-10-11T24:00:00Z',
      '2022-10-11T00:60:00Z',
      '2022-10-11T00:00:60Z',
      '2022-10-11T00:00:00.1234567890Z',
      '2022-10-11T00:00:00+24:00',
      '2022-10-11',
      '2022-10-11T00:00Z',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e15,
      '99999999999999',
    ]) {
      expect(() => parseTime(v, 'to'), String(v)).toThrow(TimeError);
      expect(() => parseTime(v, 'to'), String(v)).toThrow(/^to: /);
    }
  });

  it('rounds instants up to whole milliseconds so that t >= ceilMs(x) ⇔ t >= x', () => {
    expect(ceilMs(1_000_000n)).toBe(1);
    expect(ceilMs(1_000_001n)).toBe(2);
    expect(ceilMs(-1n)).toBe(0);
    expect(ceilMs(-1_000_001n)).toBe(-1);
  });
});
