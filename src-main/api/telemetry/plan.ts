import type { Static } from '@sinclair/typebox';
import type { Signal } from '../../../src-preload/contract/domain.js';
import type { ConfigRepo } from '../../store/config-repo.js';
import type { BucketAggregation } from '../../store/telemetry-queries.js';
import { ApiError, ApiErrors } from '../errors.js';
import { MAX_CELLS, type AGGREGATIONS, type TimeseriesBody } from '../schemas/telemetry.js';
import { DurationError, NS_PER_MS, parseDuration } from './duration.js';
import { attributesOf, findLoad } from './resolve.js';
import { ceilMs, parseTime, TimeError } from './time.js';

export type DataType = Signal['type'];

/** One requested attribute, resolved and with every setting decided. */
export interface Column {
  device: string;
  attribute: string;
  signal: Signal;
  /** As requested (the CSV header echoes it, e.g. `auto`). */
  requested: (typeof AGGREGATIONS)[number];
  aggregation: BucketAggregation;
  granularityNs: bigint;
  gapFilling: 'locf' | 'none';
  lookAroundNs: bigint;
  dataType: DataType;
}

export interface Plan {
  /** Samples at or after this ms … */
  fromMs: number;
  /** … and before this ms. */
  toMs: number;
  columns: Column[];
}

type Body = Static<typeof TimeseriesBody>;

const bad = (code: string, message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(400, code, message, details);

function time(value: number | string, field: 'from' | 'to'): bigint {
  try {
    return parseTime(value, field);
  } catch (e) {
    if (e instanceof TimeError) throw bad('invalid_time', e.message, { field });
    throw e;
  }
}

function duration(text: string, field: string, index: number): bigint {
  try {
    return parseDuration(text);
  } catch (e) {
    if (e instanceof DurationError)
      throw bad('invalid_duration', `telemetry[${index}].${field}: ${e.message}`, { index, field });
    throw e;
  }
}

/** `auto`: the mean for numeric gauges, the last value for counters, booleans and strings. */
function resolveAggregation(requested: Column['requested'], s: Signal): BucketAggregation {
  if (requested !== 'auto') return requested;
  return s.kind === 'gauge' && (s.type === 'float' || s.type === 'integer') ? 'avg' : 'last';
}

/** Buckets (aligned to multiples of the width since the epoch) that a column has between from and to. */
export function bucketCount(fromMs: number, toMs: number, gNs: bigint): bigint {
  if (toMs <= fromMs) return 0n;
  const from = BigInt(fromMs) * NS_PER_MS;
  const to = BigInt(toMs) * NS_PER_MS;
  const first = (from / gNs) * gNs;
  return (to - first + gNs - 1n) / gNs;
}

interface Settings {
  requested: Column['requested'];
  granularityNs: bigint;
  gapFilling: Column['gapFilling'];
  lookAroundNs: bigint;
}

function settings(body: Body, i: number): Settings {
  const item = body.telemetry[i]!;
  const requested = item.aggregation ?? body.aggregation;
  if (!requested)
    throw bad('missing_aggregation', `telemetry[${i}]: no aggregation (set it for the item or globally)`, {
      index: i,
    });
  const gran = item.granularity ?? body.granularity;
  if (!gran)
    throw bad('missing_granularity', `telemetry[${i}]: no granularity (set it for the item or globally)`, {
      index: i,
    });
  const granularityNs = duration(gran, 'granularity', i);
  // Any positive duration: buckets finer than the samples are empty (or filled by locf).
  if (granularityNs <= 0n)
    throw bad('invalid_granularity', `telemetry[${i}].granularity: "${gran}" must be a positive duration`, {
      index: i,
    });
  const gap = item.gap_filling ?? body.gap_filling;
  const lookAroundNs = gap?.look_around ? duration(gap.look_around, 'gap_filling.look_around', i) : 0n;
  if (lookAroundNs < 0n)
    throw bad('invalid_duration', `telemetry[${i}].gap_filling.look_around must not be negative`, {
      index: i,
    });
  return { requested, granularityNs, gapFilling: gap?.method ?? 'none', lookAroundNs };
}

/**
 * Checks a timeseries request and decides everything the query needs. Syntax and settings first
 * (400), then devices and attributes (422, every unknown one listed), then what the data types
 * allow and the size cap (400).
 */
export function planTimeseries(body: Body, config: ConfigRepo): Plan {
  const fromNs = time(body.from, 'from');
  const toNs = time(body.to, 'to');
  if (fromNs >= toNs)
    throw bad('invalid_time_range', '`from` must be before `to`', { from: body.from, to: body.to });
  const all = body.telemetry.map((_, i) => settings(body, i));

  const unknown: ApiError[] = [];
  const signals: Signal[] = [];
  body.telemetry.forEach((item, i) => {
    const load = findLoad(config, item.device);
    const signal = load && attributesOf(config, load).get(item.attribute);
    if (signal) signals.push(signal);
    else
      unknown.push(
        new ApiError(
          422,
          'unprocessable_entity',
          load
            ? `device ${item.device} has no attribute "${item.attribute}"`
            : `unknown device ${item.device}`,
          {
            index: i,
            device: item.device,
            attribute: item.attribute,
            reason: load ? 'unknown_attribute' : 'unknown_device',
          },
        ),
      );
  });
  if (unknown.length) throw new ApiErrors(unknown);

  const fromMs = ceilMs(fromNs);
  const toMs = ceilMs(toNs);
  const columns = body.telemetry.map((item, i): Column => {
    const s = all[i]!;
    const signal = signals[i]!;
    const aggregation = resolveAggregation(s.requested, signal);
    // Strings have no numeric samples to compare or average; a mean of booleans is not a boolean.
    const unsupported =
      signal.type === 'string' ? aggregation !== 'last' : signal.type === 'boolean' && aggregation === 'avg';
    if (unsupported)
      throw bad(
        'unsupported_aggregation',
        `telemetry[${i}]: ${aggregation} is not defined for ${signal.type} attribute "${item.attribute}"`,
        { index: i },
      );
    return {
      device: item.device,
      attribute: item.attribute,
      signal,
      requested: s.requested,
      aggregation,
      granularityNs: s.granularityNs,
      gapFilling: s.gapFilling,
      lookAroundNs: s.lookAroundNs,
      dataType: aggregation === 'avg' ? 'float' : signal.type,
    };
  });

  // With several widths the rows are bounded by the sum of each width's buckets.
  const widths = [...new Set(columns.map((c) => c.granularityNs))];
  const rows = widths.reduce((n, w) => n + bucketCount(fromMs, toMs, w), 0n);
  if (rows * BigInt(columns.length) > BigInt(MAX_CELLS))
    throw bad(
      'too_many_rows',
      `the answer would have up to ${rows} rows × ${columns.length} columns; at most ${MAX_CELLS} cells: ` +
        'use a coarser granularity or a shorter range',
      { rows: Number(rows), columns: columns.length, max_cells: MAX_CELLS },
    );
  return { fromMs, toMs, columns };
}

export const lookAroundMs = (c: Column): number => Number(c.lookAroundNs / NS_PER_MS);
