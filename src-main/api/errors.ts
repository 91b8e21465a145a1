import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logger } from '../util/log.js';
import { JSON_TYPE } from './media-types.js';

const log = logger('api');

/** An error a client caused (or is told about), with the status, a snake_case code and context. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: number | string): ApiError =>
  typeof id === 'number'
    ? new ApiError(404, 'not_found', `no ${what} with uid ${id}`, { uid: id })
    : new ApiError(404, 'not_found', `no ${what} "${id}"`, { id });

/** The Telemetry API has Enapter's error body; everything else the EMS Webapi's. */
export function isTelemetryUrl(url: string): boolean {
  return /^\/(api\/)?telemetry(\/|$|\?)/.test(url.replace(/\/{2,}/g, '/'));
}

/** Decided by the matched route when there is one (the raw URL may be spelled oddly), else the URL. */
const telemetryRequest = (req: FastifyRequest): boolean => isTelemetryUrl(req.routeOptions.url ?? req.url);

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  431: 'headers_too_large',
};

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_VALIDATION: 'bad_request',
};

/** Turns anything thrown into an ApiError; a non-client error becomes a logged 500 without details. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError> & { message?: string };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = (e.code && FASTIFY_CODES[e.code]) ?? CODE_BY_STATUS[status] ?? 'client_error';
    return new ApiError(status, code, e.message || code);
  }
  log.error({ err: e.message, stack: (err as Error | undefined)?.stack }, 'internal error');
  return new ApiError(500, 'internal', 'internal error');
}

export interface WebapiErrorBody {
  error: { code: string; message: string };
}
export interface TelemetryErrorBody {
  errors: { code: string; message: string; details?: Record<string, unknown> }[];
}

export function errorBody(
  telemetry: boolean,
  errors: readonly ApiError[],
): WebapiErrorBody | TelemetryErrorBody {
  if (telemetry)
    return {
      errors: errors.map((e) => ({
        code: e.code,
        message: e.message,
        ...(e.details ? { details: e.details } : {}),
      })),
    };
  const first = errors[0] ?? new ApiError(500, 'internal', 'internal error');
  return { error: { code: first.code, message: first.message } };
}

/** Several problems found at once (e.g. every unknown device of a timeseries request). */
export class ApiErrors extends ApiError {
  constructor(readonly all: readonly ApiError[]) {
    const first = all[0] ?? new ApiError(500, 'internal', 'empty error list');
    super(first.statusCode, first.code, first.message, first.details, first.headers);
  }
}

function send(req: FastifyRequest, reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers ?? {})) void reply.header(k, v);
  return reply
    .status(err.statusCode)
    .type(JSON_TYPE)
    .send(errorBody(telemetryRequest(req), err instanceof ApiErrors ? err.all : [err]));
}

/** One error format for every route, framework errors (bad URL, bad JSON) and unknown paths. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => send(req, reply, toApiError(err)));
  app.setNotFoundHandler((req, reply) =>
    send(req, reply, new ApiError(404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
}

/** Fastify's `frameworkErrors` hook: errors raised before routing (a malformed URL). */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  void send(req, reply, toApiError(err));
}

/** `x ?? raise(notFound(…))`: throws in expression position. */
export function raise(e: Error): never {
  throw e;
}
