import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from '../../src-main/api/telemetry/duration.js';
import { parseTime, TimeError } from '../../src-main/api/telemetry/time.js';
import { fuzz } from './harness.js';

const durations = [
  '1s',
  '1m0s',
  '1h0m0s',
  '24h0m0s',
  '3600s',
  '1.5m',
  '2h45m',
  '500ms',
  '1us',
  '10ns',
  '1d',
  '1y',
  '-1.25h',
];
const times = [
  '2022-10-11T00:00:00Z',
  '2022-10-11T00:01:00.123456789+02:00',
  '2022-10-11T00:00:00',
  '1662593249',
  '1662593249.5',
];

/** Only the parsers' own typed refusals may escape; anything else (TypeError, RangeError…) is a defect. */
function refusalOnly(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DurationError || e instanceof TimeError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('fuzzing the duration and time parsers', () => {
  it('10,000+ mutated durations: parse (and round-trip) or refuse with a reason', () => {
    const { runs, failures } = fuzz(
      durations.map((d) => Buffer.from(d)),
      10_500,
      (input) =>
        refusalOnly(() => {
          const ns = parseDuration(input.toString('latin1'));
          expect(parseDuration(formatDuration(ns))).toBe(ns);
        }),
      { seed: 23 },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });

  it('10,000+ mutated times: parse or refuse with a reason', () => {
    const { failures } = fuzz(
      times.map((t) => Buffer.from(t)),
      10_500,
      (input) => refusalOnly(() => parseTime(input.toString('latin1'), 'from')),
      { seed: 29 },
    );
    expect(failures).toEqual([]);
  });
});
