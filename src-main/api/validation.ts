import type { FastifyInstance } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from './errors.js';

const WHERE: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'body',
};

// Query and path values arrive as strings. Only plain decimal text counts as a number: Ajv's
// coercion would take "0x10", " 5", "1e2" or "" as numbers, and that is not what a client meant.
const INTEGER_TEXT = /^-?[0-9]{1,16}$/;
const NUMBER_TEXT = /^-?[0-9]{1,16}(\.[0-9]{1,16})?$/;

function typeOf(schema: unknown): string | undefined {
  const t = (schema as { type?: unknown } | undefined)?.type;
  return typeof t === 'string' ? t : undefined;
}

/**
 * Converts the top-level string values of a query/path object that the schema declares numeric or
 * boolean. The schema's properties are looked at once per route, and the object is copied only when
 * a value changes (the usual live-data request has nothing to convert).
 */
function stringConverter(schema: TSchema, part: string): (data: unknown) => unknown {
  const props = Object.entries((schema as { properties?: Record<string, TSchema> }).properties ?? {}).map(
    ([key, prop]) => ({ key, type: typeOf(prop) }),
  );
  return (data) => {
    const src = (data ?? {}) as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const { key, type } of props) {
      const v = src[key];
      if (v === undefined) continue;
      if (Array.isArray(v) && type !== 'array')
        return new ApiError(400, 'bad_request', `${WHERE[part]} ${key}: given more than once`);
      if (typeof v !== 'string') continue;
      let to: unknown = v;
      if (type === 'integer' && INTEGER_TEXT.test(v)) to = Number(v);
      else if (type === 'number' && NUMBER_TEXT.test(v)) to = Number(v);
      else if (type === 'boolean' && (v === 'true' || v === 'false')) to = v === 'true';
      if (to !== v) (out ??= { ...src })[key] = to;
    }
    return out ?? (data === undefined || data === null ? {} : data);
  };
}

function describe(part: string, e: ValueError): string {
  const path = e.path.replace(/^\//, '').replace(/\//g, '.');
  const where = part === 'body' ? (path ? `body.${path}` : 'body') : `${WHERE[part] ?? part} ${path}`;
  const s = e.schema as { anyOf?: { const?: unknown }[]; pattern?: string; description?: string };
  const choices = s.anyOf?.map((x) => x.const).filter((c) => c !== undefined);
  if (choices?.length) return `${where}: must be one of ${choices.join(', ')}`;
  if (s.pattern) return `${where}: must match ${s.pattern}${s.description ? ` (${s.description})` : ''}`;
  if (e.value === undefined && path) return `${where}: is required`;
  return `${where}: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`;
}

/**
 * Validates requests against their TypeBox schemas with TypeBox's own compiler (no type coercion
 * except strict decimal text in query and path), applies schema defaults, and turns a failure into
 * a 400 ApiError naming the parameter.
 */
export function useTypeBoxValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const s = schema as TSchema;
    if (!(Kind in s)) throw new Error(`route schema for ${httpPart ?? '?'} is not a TypeBox schema`);
    // Compiled on the route's first request, not while the server starts (issue 14).
    let check: TypeCheck<TSchema> | undefined;
    // Value.Default walks the schema on every request: only worth it where a default exists.
    const defaults = declaresDefault(s);
    const part = httpPart ?? 'body';
    const stringly = part === 'querystring' || part === 'params' || part === 'headers';
    const fromStrings = stringly ? stringConverter(s, part) : undefined;
    return (data: unknown) => {
      let value: unknown = data;
      if (fromStrings) {
        const converted = fromStrings(data);
        if (converted instanceof ApiError) return { error: converted };
        value = converted;
      }
      if (defaults) value = Value.Default(s, value);
      check ??= TypeCompiler.Compile(s);
      if (check.Check(value)) return { value };
      const first = check.Errors(value).First();
      const message = first ? describe(part, first) : `${WHERE[part] ?? part}: invalid`;
      return { error: new ApiError(400, 'bad_request', message) };
    };
  });
}

/** Whether a schema, or any schema inside it, declares a `default`. */
function declaresDefault(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  if (Array.isArray(schema)) return schema.some(declaresDefault);
  return Object.entries(schema).some(([k, v]) => k === 'default' || declaresDefault(v));
}
