import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** What Fastify calls: a factory per set of shared schemas, then a compiler per route schema. */
type Factory<F> = (
  externalSchemas: unknown,
  options: unknown,
) => (route: Parameters<FastifySchemaCompiler<unknown>>[0]) => F;
interface Validate {
  (data: unknown): unknown;
  errors?: unknown;
}
type Serialize = (data: unknown) => string;

// Fastify's own compilers (Ajv, fast-json-stringify) are its dependencies, found from where it is.
let fromFastify: NodeJS.Require | undefined;
function fastifyDependency<T>(name: string): T {
  fromFastify ??= createRequire(createRequire(import.meta.url).resolve('fastify'));
  return fromFastify(name) as T;
}

let ajvCompilers: Factory<Validate> | undefined;
let serializerCompilers: Factory<Serialize> | undefined;
const ajv = (): Factory<Validate> =>
  (ajvCompilers ??= fastifyDependency<() => Factory<Validate>>('@fastify/ajv-compiler')());
const fastJsonStringify = (): Factory<Serialize> =>
  (serializerCompilers ??= fastifyDependency<() => Factory<Serialize>>(
    '@fastify/fast-json-stringify-compiler',
  )());

/** Per route, a getter that builds the route's function with Fastify's compiler on its first call. */
function onFirstUse<F>(
  load: () => Factory<F>,
  externalSchemas: unknown,
  options: unknown,
): (route: Parameters<FastifySchemaCompiler<unknown>>[0]) => () => F {
  let compiler: ReturnType<Factory<F>> | undefined;
  return (route) => {
    let built: F | undefined;
    return () => (built ??= (compiler ??= load()(externalSchemas, options))(route));
  };
}

/**
 * Fastify's default validator compiler (Ajv), compiling a route's schema on its first request instead
 * of while the server starts: loading Ajv and fast-json-stringify and compiling every route's schemas
 * was a third of `serve`'s start (issue 14). The schemas are the same, so are the answers; a schema
 * that does not compile fails its route's first request (test/api/schemas-compile.test.ts compiles all).
 * Routes registered with `scoped` validate with TypeBox instead (validation.ts).
 *
 * Fastify lowercases the header names of a header schema only for its default compiler: none of the
 * routes left to Ajv validates headers.
 */
const lazyValidators: Factory<Validate> = (externalSchemas, options) => {
  const forRoute = onFirstUse(ajv, externalSchemas, options);
  return (route) => {
    const validator = forRoute(route);
    const lazy: Validate = (data) => {
      const validate = validator();
      const result = validate(data);
      // Fastify reads a failed validation's reasons from the function it was given.
      lazy.errors = validate.errors;
      return result;
    };
    return lazy;
  };
};

/** Fastify's default response serializer (fast-json-stringify), built on a route's first answer. */
const lazySerializers: Factory<Serialize> = (externalSchemas, options) => {
  const forRoute = onFirstUse(fastJsonStringify, externalSchemas, options);
  return (route) => {
    const serializer = forRoute(route);
    return (data) => serializer()(data);
  };
};

/** The `schemaController` option for Fastify: its own compilers, each schema compiled on first use. */
export const LAZY_SCHEMAS: NonNullable<FastifyServerOptions['schemaController']> = {
  // The published types of @fastify/ajv-compiler describe Ajv's compile, not the route compiler
  // Fastify calls (lib/schema-controller.js, lib/validation.js): ours follow what Fastify calls.
  compilersFactory: {
    buildValidator: lazyValidators as unknown as NonNullable<Factories['buildValidator']>,
    buildSerializer: lazySerializers as unknown as NonNullable<Factories['buildSerializer']>,
  },
};
