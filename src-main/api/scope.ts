import type { FastifyInstance, onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify';
import { PRINCIPAL } from './guards.js';
import { useTypeBoxValidation } from './validation.js';

/**
 * Registers routes in their own encapsulated scope: TypeBox validation and, when given, an auth guard
 * for every route of the scope. Route modules of other features are not affected by either.
 */
export async function scoped(
  app: FastifyInstance,
  guard: onRequestHookHandler | onRequestAsyncHookHandler | undefined,
  routes: (scope: FastifyInstance) => void | Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    useTypeBoxValidation(scope);
    if (guard) {
      // A decorator, not a WeakMap keyed by request: a map entry per request cost the young-generation
      // collector an ephemeron each, at thousands of requests a second.
      scope.decorateRequest(PRINCIPAL, null);
      scope.addHook('onRequest', guard);
    }
    await routes(scope);
  });
}
