import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { useTypeBoxValidation } from './validation.js';

/**
 * Registers routes in their own encapsulated scope: TypeBox validation and, when given, an auth guard
 * for every route of the scope. Route modules of other features are not affected by either.
 */
export async function scoped(
  app: FastifyInstance,
  guard: onRequestAsyncHookHandler | undefined,
  routes: (scope: FastifyInstance) => void | Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    useTypeBoxValidation(scope);
    if (guard) scope.addHook('onRequest', guard);
    await routes(scope);
  });
}
