import { Type } from '@sinclair/typebox';

/** At most this many attributes in one timeseries request (Enapter's limit). */
export const MAX_ATTRIBUTES = 10;
/**
 * A timeseries answer has at most this many cells (buckets × attributes); larger requests get 400.
 * Answers are streamed, so this is a ceiling against absurd requests (a 1-ns granularity over a
 * year), far above a week at 1 s or ten attributes at 1 min over a year.
 */
export const MAX_CELLS = 50_000_000;
/** A `now` request names at most this many attributes over all its devices. */
export const MAX_NOW_ATTRIBUTES = 1000;

export const AGGREGATIONS = ['auto', 'avg', 'last', 'min', 'max'] as const;
export const GAP_FILLING_METHODS = ['locf', 'none'] as const;

const Duration = (description: string) =>
  Type.String({
    minLength: 1,
    maxLength: 64,
    description: `${description}. Duration string: decimal numbers with optional fraction and a unit ns, us, ms, s, m, h, d, y (e.g. 1s, 1.5m, 2h45m, 1m0s, 3600s).`,
    examples: ['1m0s'],
  });

const Aggregation = Type.Union(
  AGGREGATIONS.map((a) => Type.Literal(a)),
  {
    description:
      'auto (avg for numeric gauges, last for counters, booleans and strings), avg, last, min or max',
  },
);

const GapFilling = Type.Object(
  {
    method: Type.Union(
      GAP_FILLING_METHODS.map((m) => Type.Literal(m)),
      { description: 'locf: last observation carried forward; none: empty buckets stay empty' },
    ),
    look_around: Type.Optional(Duration('How far before `from` to look for a value for the first buckets')),
  },
  { description: 'Gap filling settings' },
);

const TimeValue = Type.Union([Type.Number(), Type.String({ maxLength: 64 })], {
  description: 'Unix seconds (number) or an RFC 3339 time (up to 9 fractional digits; no offset = UTC)',
  examples: ['2022-10-11T00:00:00Z'],
});

export const TelemetryItem = Type.Object({
  device: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Device ID: the load UUID or its decimal uid',
  }),
  attribute: Type.String({
    minLength: 1,
    maxLength: 64,
    description: "Attribute name: the signal catalogue key of one of the load's signals",
  }),
  aggregation: Type.Optional(Aggregation),
  granularity: Type.Optional(Duration('Bucket width, any positive duration')),
  gap_filling: Type.Optional(GapFilling),
});

export const TimeseriesBody = Type.Object({
  from: TimeValue,
  to: TimeValue,
  aggregation: Type.Optional(Aggregation),
  granularity: Type.Optional(Duration('Bucket width, any positive duration')),
  gap_filling: Type.Optional(GapFilling),
  telemetry: Type.Array(TelemetryItem, { minItems: 1, maxItems: MAX_ATTRIBUTES }),
});

export const NowQuery = Type.Object(
  {
    devices: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description:
          'devices[<ID>]=attr1,attr2 — repeatable; ID is a load UUID or decimal uid, attributes are signal catalogue keys',
        examples: [{ '123e4567-e89b-12d3-a456-426614174000': 'voltage_l1,current_l1' }],
      }),
    ),
  },
  { style: 'deepObject', explode: true },
);

const Snapshot = Type.Object({
  value: Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
    description: 'Latest value: a number, a text (string attributes) or a boolean',
  }),
  timestamp: Type.Integer({ description: 'Unix seconds of the value' }),
});

export const NowResponse = Type.Object({
  devices: Type.Record(Type.String(), Type.Record(Type.String(), Snapshot), {
    description: 'By requested device ID, then by attribute',
  }),
  errors: Type.Array(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
    {
      description:
        'Unknown devices (`device_not_found`), unknown attributes (`attribute_not_found`) and attributes ' +
        'without a value yet (`no_value`); each is left out of `devices`',
    },
  ),
});
