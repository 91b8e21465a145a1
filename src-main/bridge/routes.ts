import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { BRIDGE_PATH } from '../../src-preload/contract/bridge.js';
import type { RouteModule } from '../api/server.js';
import { isLoopbackAddress } from '../api/signin-link.js';
import { createHandlers, hostContext } from '../ipc/handlers.js';
import type { Runtime } from '../runtime.js';
import { linkSigninRoute } from './link-route.js';
import { BridgeSession, type SessionOptions } from './session.js';
import { rendererDir, serveRenderer } from './static.js';
import { appVersion } from './version.js';

/**
 * The browser bridge: the built UI at `/` and the contract over a WebSocket at /bridge, for
 * `ems-commissioner serve` (and for a browser next to the desktop app). `runtime` is read per
 * connection because the route is registered while the runtime is still being built.
 */
export function bridgeRoutes(runtime: () => Runtime | undefined, o: SessionOptions = {}): RouteModule {
  return async (app: FastifyInstance) => {
    if (!app.hasDecorator('websocketServer'))
      await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
    app.route<{ Querystring: { token?: string } }>({
      method: 'GET',
      url: BRIDGE_PATH,
      // A plain HTTP request here is a client mistake, not a missing route.
      handler: async (_req, reply) =>
        reply
          .status(426)
          .header('upgrade', 'websocket')
          .send({ error: { code: 'upgrade_required', message: `${BRIDGE_PATH} speaks WebSocket only` } }),
      wsHandler: (socket, req) => {
        let rt: Runtime | undefined;
        try {
          rt = runtime();
        } catch {
          rt = undefined; // still being built: the client retries
        }
        if (!rt) {
          socket.close(1013, 'engine is starting');
          return;
        }
        const ctx = hostContext(rt, 'browser', appVersion());
        // A local admin's session (sign-in link) is only for a browser on this computer.
        const session = new BridgeSession(socket, ctx, createHandlers(ctx), {
          ...o,
          loopback: isLoopbackAddress(req.socket.remoteAddress),
        });
        const token = typeof req.query.token === 'string' ? req.query.token : undefined;
        void session.start(token);
      },
    });
    linkSigninRoute(app, () => {
      try {
        return runtime();
      } catch {
        return undefined;
      }
    });
    await serveRenderer(app, rendererDir());
  };
}
