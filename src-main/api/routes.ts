import type { RouteModule } from './server.js';

/** Every route module of the HTTP server, in registration order. */
export const ROUTES: readonly RouteModule[] = [];
