import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { REQUESTS, type RequestSchemas } from '../../src-preload/contract/requests.js';

const compiled = new Map<string, TypeCheck<TSchema>>();

function checker(schema: TSchema, key: string): TypeCheck<TSchema> {
  let c = compiled.get(key);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(key, c);
  }
  return c;
}

/**
 * For a union, the branch the caller evidently meant: the object branch when an argument was given,
 * or the one whose `protocol` literal matches. Its errors say far more than "expected union value".
 */
function meantBranch(schema: TSchema, arg: unknown): number {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf ?? [];
  const objects = anyOf.map((s, i) => ({
    s: s as { type?: string; properties?: Record<string, { const?: unknown }> },
    i,
  }));
  const candidates = objects.filter((o) => o.s.type === 'object');
  if (candidates.length === 1) return candidates[0]?.i ?? -1;
  const protocol = arg && typeof arg === 'object' ? (arg as { protocol?: unknown }).protocol : undefined;
  return candidates.find((o) => o.s.properties?.protocol?.const === protocol)?.i ?? -1;
}

function describe(schema: TSchema, key: string, arg: unknown): string {
  const i = meantBranch(schema, arg);
  const branch = (schema as { anyOf?: TSchema[] }).anyOf?.[i];
  const c = branch ? checker(branch, `${key}#${i}`) : checker(schema, key);
  const first = c.Errors(arg).First();
  if (!first) return 'argument does not match any accepted form';
  const where = first.path ? first.path.slice(1).replaceAll('/', '.') : 'argument';
  const msg = first.message.charAt(0).toLowerCase() + first.message.slice(1);
  return `${where}: ${msg}${first.value === undefined ? '' : ` (got ${JSON.stringify(first.value)?.slice(0, 60)})`}`;
}

/** Checks a call's argument against its schema; returns a readable reason when it does not fit. */
export function checkArgument(channel: keyof RequestSchemas, arg: unknown): string | null {
  const schema: TSchema = REQUESTS[channel];
  if (checker(schema, channel).Check(arg)) return null;
  return describe(schema, channel, arg);
}

export function isChannel(x: unknown): x is keyof RequestSchemas {
  return typeof x === 'string' && Object.hasOwn(REQUESTS, x);
}
