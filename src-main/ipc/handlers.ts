import type { EngineInfo } from '../../src-preload/contract/index.js';
import type { Engine } from '../engine.js';
import type { Runtime } from '../runtime.js';
import type { DemoControl, HostContext } from './context.js';
import { runtimeDemo } from './demo.js';
import { discoveryHandlers } from './discovery.js';
import type { Handlers } from './dispatch.js';
import { EventHub } from './events.js';
import { historyHandlers } from './history.js';
import { infoHandlers } from './info.js';
import { integrationHandlers } from './integrations.js';
import { loadConfigHandlers } from './loadconfig.js';
import { mappingHandlers } from './mapping.js';
import { mbusHandlers } from './mbus-discovery.js';
import { monitorFeed, monitorHandlers } from './monitor.js';
import { p1Handlers } from './p1-discovery.js';
import { samplesFeed } from './samples-feed.js';
import { settingsHandlers } from './settings.js';
import { siteHandlers } from './site.js';
import { statusFeed } from './status-feed.js';
import { tokenHandlers } from './tokens.js';
import { treeHandlers } from './tree.js';
import { userHandlers } from './users.js';

export { dispatch, type Handler, type Handlers } from './dispatch.js';

const hubs = new WeakMap<Engine, EventHub>();
const demos = new WeakMap<Runtime, DemoControl>();

/**
 * One event hub per engine, shared by the desktop window and every browser session, so a change made
 * in one shows in the others and each feed runs once however many listen.
 */
export function eventHub(engine: Engine): EventHub {
  let hub = hubs.get(engine);
  if (!hub) {
    const h = new EventHub({
      samples: samplesFeed(engine.poller),
      status: statusFeed(engine.poller),
      'monitor.frames': monitorFeed(engine),
    });
    hubs.set(engine, h);
    engine.onClose(() => h.close());
    hub = h;
  }
  return hub;
}

/** The context the handlers of one host (the desktop window, or the browser bridge) run in. */
export function hostContext(rt: Runtime, host: EngineInfo['host'], version: string): HostContext {
  let demo = demos.get(rt);
  if (!demo) {
    demo = runtimeDemo(rt);
    demos.set(rt, demo);
  }
  return {
    engine: rt.engine,
    host,
    version,
    apiUrl: () => rt.url ?? null,
    demo,
    events: eventHub(rt.engine),
  };
}

/** The engine side of the contract; the Electron IPC wrapper and the browser bridge both call these. */
export function createHandlers(ctx: HostContext): Handlers {
  return {
    ...infoHandlers(ctx),
    ...treeHandlers(ctx),
    ...historyHandlers(ctx),
    ...discoveryHandlers(ctx),
    ...mbusHandlers(ctx),
    ...p1Handlers(ctx),
    ...loadConfigHandlers(ctx),
    ...monitorHandlers(ctx),
    ...settingsHandlers(ctx),
    ...userHandlers(ctx),
    ...tokenHandlers(ctx.engine),
    ...mappingHandlers(ctx),
    ...integrationHandlers(ctx.engine),
    ...siteHandlers(ctx),
  };
}
