import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Validates `data` against a schema; throws one readable error listing every problem with its path. */
export function checkSchema<T extends TSchema>(schema: T, data: unknown, what: string): Static<T> {
  if (Value.Check(schema, data)) return data;
  const problems = [...Value.Errors(schema, data)]
    .slice(0, 12)
    .map((e) => `  ${e.path || '/'}: ${e.message}`);
  throw new Error(`${what} is not valid:\n${problems.join('\n')}`);
}
