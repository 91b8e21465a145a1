import { integrationRoutes } from './integrations/routes.js';
import type { RouteModule } from './server.js';
import { telemetryRoutes } from './telemetry/routes.js';
import { configRoutes } from './webapi/config.js';
import { historyRoutes } from './webapi/history.js';
import { realtimeRoutes } from './webapi/realtime.js';
import { streamRoutes } from './webapi/stream.js';
import { systemRoutes } from './webapi/system.js';
import { tokenRoutes } from './webapi/tokens.js';

/** Every route module of the HTTP server, in registration order. */
export const ROUTES: readonly RouteModule[] = [
  // First: its hook counts the requests of every route registered after it.
  integrationRoutes,
  systemRoutes,
  configRoutes,
  realtimeRoutes,
  historyRoutes,
  streamRoutes,
  tokenRoutes,
  telemetryRoutes,
];
