import type { FastifyInstance } from 'fastify';
import { ROUTES } from './api/routes.js';
import { bridgeRoutes } from './bridge/routes.js';
import { buildApi, listen, type ApiOptions } from './api/server.js';
import { Engine, type EngineConfig } from './engine.js';
import { startDemoPlant, type DemoPlant } from './sim/demo-plant.js';

export interface RuntimeOptions extends EngineConfig {
  api: ApiOptions | false;
  /** 'always': add the demo plant; 'if-empty': only when nothing is configured yet; 'never'. */
  demo: 'always' | 'if-empty' | 'never';
}

export interface Runtime {
  engine: Engine;
  api: FastifyInstance | undefined;
  url: string | undefined;
  demo: DemoPlant | undefined;
  close(): Promise<void>;
}

/** Engine + demo plant + HTTP server, as `serve` and the desktop app run them. */
export async function startRuntime(o: RuntimeOptions): Promise<Runtime> {
  const engine = new Engine(o);
  let demo: DemoPlant | undefined;
  let api: FastifyInstance | undefined;
  try {
    // A plant that was switched off is stored as an empty map: it stays off across restarts.
    const known = engine.store.meta.get('demo_devices');
    const hadPlant = known !== undefined && known !== '' && known !== '{}';
    const firstStart = engine.store.config.isEmpty() && known === undefined;
    if (o.demo === 'always' || (o.demo === 'if-empty' && (firstStart || hadPlant))) {
      demo = await startDemoPlant(engine);
      engine.onClose(() => demo?.stop());
    }
    engine.start();
    let url: string | undefined;
    if (o.api) {
      // The browser UI and its WebSocket bridge; they reach this runtime once it is built.
      api = await buildApi(engine, [...ROUTES, bridgeRoutes(() => runtime)]);
      url = await listen(api, o.api);
      engine.onClose(() => api?.close());
    }
    const runtime: Runtime = { engine, api, url, demo, close: () => engine.close() };
    return runtime;
  } catch (err) {
    await engine.close().catch(() => undefined);
    throw err;
  }
}
