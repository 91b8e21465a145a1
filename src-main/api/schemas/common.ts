import { Type, type TSchema } from '@sinclair/typebox';
import { PROTOCOLS } from '../../../src-preload/contract/domain.js';

/** Largest `limit` a paged endpoint accepts. */
export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 1000;
/** Largest UID accepted anywhere (UIDs come from one SQLite sequence). */
export const MAX_UID = Number.MAX_SAFE_INTEGER;
/** Longest `uids` list accepted in one request. */
export const MAX_UIDS = 1000;
/** Unix ms up to the year 9999. */
const MAX_MS = 253_402_300_799_999;

export const WebapiError = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'short snake_case code, e.g. bad_request, not_found' }),
      message: Type.String(),
    }),
  },
  { description: 'EMS Webapi error' },
);

export const TelemetryError = Type.Object(
  {
    errors: Type.Array(
      Type.Object({
        code: Type.String({ description: 'short snake_case code, e.g. unprocessable_entity' }),
        message: Type.String(),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  },
  { description: 'Telemetry API error (Enapter format)' },
);

/** The error responses a route can give, all with the API's error body. */
export function errorResponses(body: TSchema, codes: readonly number[]): Record<number, TSchema> {
  const text: Record<number, string> = {
    400: 'Bad input (the message names the parameter)',
    401: 'Missing, invalid or expired token',
    403: 'Not allowed',
    404: 'Unknown uid',
    413: 'Body too large',
    415: 'Unsupported media type',
    422: 'Unknown device or attribute',
    429: 'Too many attempts; see Retry-After',
  };
  return Object.fromEntries(codes.map((c) => [c, Type.Unsafe({ ...body, description: text[c] ?? 'Error' })]));
}

export const UidParams = Type.Object({
  uid: Type.Integer({ minimum: 1, maximum: MAX_UID, description: 'Resource UID', examples: [1] }),
});

export const Uids = Type.String({
  pattern: `^[0-9]{1,16}(,[0-9]{1,16}){0,${MAX_UIDS - 1}}$`,
  description: `Comma-separated list of UIDs to filter by (at most ${MAX_UIDS})`,
  examples: ['1,2,59'],
});

export const ProtocolFilter = Type.Union(
  PROTOCOLS.map((p) => Type.Literal(p)),
  { description: 'Filter by protocol' },
);

export const Limit = Type.Integer({
  minimum: 1,
  maximum: MAX_LIMIT,
  default: DEFAULT_LIMIT,
  description: `Maximum number of records to return (1..${MAX_LIMIT}). Default ${DEFAULT_LIMIT}.`,
  examples: [100],
});

export const PageNo = Type.Integer({
  minimum: 1,
  maximum: 1_000_000_000,
  default: 1,
  description: '1-based page number. Default 1.',
  examples: [1],
});

export const StartMs = Type.Integer({
  minimum: 0,
  maximum: MAX_MS,
  description: 'Start of the time range (inclusive), Unix time in milliseconds',
  examples: [1735689600000],
});

export const EndMs = Type.Integer({
  minimum: 0,
  maximum: MAX_MS,
  description: 'End of the time range (exclusive), Unix time in milliseconds',
  examples: [1735776000000],
});

export const UidsQuery = Type.Object({ uids: Type.Optional(Uids) });
export const ConfigQuery = Type.Object({
  uids: Type.Optional(Uids),
  protocol: Type.Optional(ProtocolFilter),
});
export const PagedQuery = Type.Object({
  uids: Type.Optional(Uids),
  limit: Type.Optional(Limit),
  page: Type.Optional(PageNo),
});
export const RangeQuery = Type.Object({
  start: Type.Optional(StartMs),
  end: Type.Optional(EndMs),
  limit: Type.Optional(Limit),
  page: Type.Optional(PageNo),
});
export const PagedRangeQuery = Type.Composite([Type.Object({ uids: Type.Optional(Uids) }), RangeQuery]);

/** A 200 body and the error responses of a Webapi route. */
export const webapiResponses = (
  body: TSchema,
  codes: readonly number[] = [400, 401],
): Record<number, TSchema> => ({
  // The schema's description becomes the response's description in the OpenAPI document.
  200: Type.Unsafe({ ...body, description: body.description ?? 'OK' }),
  ...errorResponses(WebapiError, codes),
});
