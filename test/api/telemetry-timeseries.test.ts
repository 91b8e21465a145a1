import { afterAll, beforeAll, describe, it } from 'vitest';
import { helpers, S, timeseriesFixture, type TimeseriesCtx } from './timeseries-helpers.js';

let ctx: TimeseriesCtx;
beforeAll(async () => {
  ctx = await timeseriesFixture();
});
afterAll(() => ctx.f.close());
const { items, col, csv, expectCsv } = helpers(() => ctx);

describe('POST /api/telemetry/v1/timeseries from raw samples (granularity below a minute)', () => {
  it('averages 10-s buckets aligned to the epoch; buckets without data have no row', async () => {
    const rows = [230, 231, 232, 233, 234, 235].map((v, i) => [S + i * 10, v]);
    await expectCsv(
      {
        from: S,
        to: S + 180,
        aggregation: 'avg',
        granularity: '10s',
        telemetry: items({ attribute: 'voltage' }),
      },
      csv([col('voltage', 'avg', '10s')], [...rows, [S + 120, 240], [S + 130, 242]]),
      ['float'],
    );
  });

  it('computes avg, min, max and last per 30-s bucket with per-attribute aggregations', async () => {
    await expectCsv(
      {
        from: '2025-01-01T00:00:00Z',
        to: '2025-01-01T02:03:00+02:00',
        granularity: '30s',
        telemetry: items(
          { attribute: 'voltage', aggregation: 'avg' },
          { attribute: 'voltage', aggregation: 'min' },
          { attribute: 'voltage', aggregation: 'max' },
          { attribute: 'voltage', aggregation: 'last' },
        ),
      },
      csv(
        ['avg', 'min', 'max', 'last'].map((a) => col('voltage', a, '30s')),
        [
          [S, 231, 230, 232, 232],
          [S + 30, 234, 233, 235, 235],
          [S + 120, 241, 240, 242, 242],
        ],
      ),
      ['float', 'float', 'float', 'float'],
    );
  });

  it('counts samples in [from, to): nanosecond from without an offset (UTC) leaves out the sample at exactly S', async () => {
    await expectCsv(
      {
        from: '2025-01-01T00:00:00.000000001',
        to: S + 30,
        aggregation: 'auto',
        granularity: '10s',
        telemetry: items({ attribute: 'voltage' }),
      },
      csv(
        [col('voltage', 'auto', '10s')],
        [
          [S + 10, 231],
          [S + 20, 232],
        ],
      ),
      ['float'],
    );
  });

  it('joins columns of different granularities on the bucket start', async () => {
    await expectCsv(
      {
        from: S,
        to: S + 180,
        aggregation: 'auto',
        granularity: '1m0s',
        telemetry: [
          { device: ctx.uuid, attribute: 'voltage' },
          { device: '2', attribute: 'energy_import', granularity: '30s' },
        ],
      },
      csv(
        [col('voltage', 'auto', '1m0s'), col('energy_import', 'auto', '30s', 'none', '0s', '2')],
        [
          [S, 232.5, 100],
          [S + 30, '', 101],
          [S + 120, 241, ''],
          [S + 150, '', 103],
        ],
      ),
      ['float', 'float'],
    );
  });
});

describe('POST /api/telemetry/v1/timeseries from the 60-s roll-ups (whole minutes)', () => {
  it('resolves auto per type: avg for gauges, last for counters and booleans; integers averaged are floats', async () => {
    await expectCsv(
      {
        from: S,
        to: S + 180,
        aggregation: 'auto',
        granularity: '60s',
        telemetry: items(
          { attribute: 'voltage' },
          { attribute: 'energy_import' },
          { attribute: 'tariff' },
          { attribute: 'wiring_error' },
        ),
      },
      csv(
        ['voltage', 'energy_import', 'tariff', 'wiring_error'].map((a) => col(a, 'auto', '1m0s')),
        [
          [S, 232.5, 101, 1.5, 'false'],
          [S + 60, '', '', '', 'true'],
          [S + 120, 241, 103, '', ''],
        ],
      ),
      ['float', 'float', 'float', 'boolean'],
    );
  });

  it('weights minute means by their sample counts: a 3-minute avg equals the mean of the raw samples', async () => {
    // (230+231+232+233+234+235+240+242) / 8 = 234.625; last of an integer gauge keeps the integer type.
    await expectCsv(
      {
        from: S,
        to: S + 180,
        granularity: '3m',
        telemetry: items(
          { attribute: 'voltage', aggregation: 'avg' },
          { attribute: 'voltage', aggregation: 'max' },
          { attribute: 'voltage', aggregation: 'min' },
          { attribute: 'energy_import', aggregation: 'last' },
          { attribute: 'tariff', aggregation: 'max' },
        ),
      },
      csv(
        [
          col('voltage', 'avg', '3m0s'),
          col('voltage', 'max', '3m0s'),
          col('voltage', 'min', '3m0s'),
          col('energy_import', 'last', '3m0s'),
          col('tariff', 'max', '3m0s'),
        ],
        [[S, 234.625, 242, 230, 103, 2]],
      ),
      ['float', 'float', 'float', 'float', 'integer'],
    );
  });
});

describe('gap filling', () => {
  it('locf carries the last value into empty buckets, looking back look_around before from', async () => {
    const body = (look?: string) => ({
      from: S + 60,
      to: S + 240,
      aggregation: 'avg',
      granularity: '1m',
      gap_filling: { method: 'locf', ...(look ? { look_around: look } : {}) },
      telemetry: items({ attribute: 'voltage' }),
    });
    // The last raw sample before S+60 is 235 (at S+50).
    await expectCsv(
      body('1m'),
      csv(
        [col('voltage', 'avg', '1m0s', 'locf', '1m0s')],
        [
          [S + 60, 235],
          [S + 120, 241],
          [S + 180, 241],
        ],
      ),
      ['float'],
    );
    await expectCsv(
      body('5s'),
      csv(
        [col('voltage', 'avg', '1m0s', 'locf', '5s')],
        [
          [S + 60, ''],
          [S + 120, 241],
          [S + 180, 241],
        ],
      ),
      ['float'],
    );
    await expectCsv(
      body(),
      csv(
        [col('voltage', 'avg', '1m0s', 'locf', '0s')],
        [
          [S + 60, ''],
          [S + 120, 241],
          [S + 180, 241],
        ],
      ),
      ['float'],
    );
  });

  it('a per-attribute gap_filling overrides the global one', async () => {
    await expectCsv(
      {
        from: S,
        to: S + 180,
        aggregation: 'last',
        granularity: '1m',
        gap_filling: { method: 'locf' },
        telemetry: items(
          { attribute: 'energy_import' },
          { attribute: 'wiring_error', gap_filling: { method: 'none' } },
        ),
      },
      csv(
        [col('energy_import', 'last', '1m0s', 'locf'), col('wiring_error', 'last', '1m0s')],
        [
          [S, 101, 'false'],
          [S + 60, 101, 'true'],
          [S + 120, 103, ''],
        ],
      ),
      ['float', 'boolean'],
    );
  });

  it('answers the header row alone when there is nothing in range', async () => {
    await expectCsv(
      {
        from: S + 3600,
        to: S + 7200,
        aggregation: 'auto',
        granularity: '1h0m0s',
        telemetry: items({ attribute: 'voltage' }),
      },
      csv([col('voltage', 'auto', '1h0m0s')], []),
      ['float'],
    );
  });
});
