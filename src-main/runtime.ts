import type { FastifyInstance } from 'fastify';
import { LINK_FRAGMENT } from '../src-preload/contract/bridge.js';
import { ROUTES } from './api/routes.js';
import { bridgeRoutes } from './bridge/routes.js';
import { buildApi, listen, type ApiOptions } from './api/server.js';
import { linkBase, SignInLinks } from './api/signin-link.js';
import { Engine, type EngineConfig } from './engine.js';
import { readIntegrationSettings, type IntegrationSettings } from './integrations/settings.js';
import type { DemoPlant } from './sim/demo-plant.js';

export interface RuntimeOptions extends EngineConfig {
  api: ApiOptions | false;
  /** 'always': add the demo plant; 'if-empty': only when nothing is configured yet; 'never'. */
  demo: 'always' | 'if-empty' | 'never';
  /** MQTT, InfluxDB, Prometheus, Modbus gateway; default: what the UI's settings saved in the store. */
  integrations?: IntegrationSettings;
}

export interface Runtime {
  engine: Engine;
  api: FastifyInstance | undefined;
  url: string | undefined;
  demo: DemoPlant | undefined;
  /** One-time sign-in links for the browser UI (see signInLink). */
  links: SignInLinks;
  /**
   * A fresh one-time link that opens the browser UI signed in as the local admin (valid once, for 10
   * minutes, loopback only); undefined without an API reachable over loopback. For the terminal of
   * the person who started the app — never for a log.
   */
  signInLink(): string | undefined;
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
    const wantDemo = o.demo === 'always' || (o.demo === 'if-empty' && (firstStart || hadPlant));
    // The demo plant mostly waits on socat and serial I/O while building the API is CPU work:
    // both at once shorten the start (issue 14: serve --demo to its first answer).
    const [plant, built] = await Promise.allSettled([
      wantDemo
        ? import('./sim/demo-plant.js').then((m) => m.startDemoPlant(engine))
        : Promise.resolve(undefined),
      // The browser UI and its WebSocket bridge; they reach this runtime once it is built.
      o.api ? buildApi(engine, [...ROUTES, bridgeRoutes(() => runtime)]) : Promise.resolve(undefined),
    ]);
    if (plant.status === 'fulfilled' && plant.value) {
      demo = plant.value;
      engine.onClose(() => demo?.stop());
    }
    if (built.status === 'fulfilled' && built.value) {
      api = built.value;
      engine.onClose(() => api?.close());
    }
    if (plant.status === 'rejected') throw plant.reason;
    if (built.status === 'rejected') throw built.reason;
    engine.start();
    await engine.integrations.configure(o.integrations ?? readIntegrationSettings(engine.store.meta));
    let url: string | undefined;
    if (o.api && api) url = await listen(api, o.api);
    const links = new SignInLinks();
    const base = url ? linkBase(url) : undefined;
    const runtime: Runtime = {
      engine,
      api,
      url,
      demo,
      links,
      signInLink: () => (base ? `${base}#${LINK_FRAGMENT}=${links.issue()}` : undefined),
      close: () => engine.close(),
    };
    return runtime;
  } catch (err) {
    await engine.close().catch(() => undefined);
    throw err;
  }
}
