import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventMap, EventName } from '../../src-preload/contract/index.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import type { HostContext } from '../../src-main/ipc/context.js';
import { createHandlers, dispatch, hostContext, type Handlers } from '../../src-main/ipc/handlers.js';
import type { CallContext } from '../../src-main/ipc/context.js';
import { startRuntime, type Runtime } from '../../src-main/runtime.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => done(port));
    });
  });
}

/** A simulated meter on a loopback TCP port, in this process so a test can change it. */
export async function simMeter(
  model: string,
  unit: number,
): Promise<{ meter: SimulatedMeter; sim: RunningSim; port: number }> {
  const m = loadLibrary().get(model);
  if (!m) throw new Error(`no model ${model}`);
  const meter = new SimulatedMeter({ model: m, unit });
  const port = await freePort();
  return { meter, sim: await serveTcp(meter, port), port };
}

export interface Rig {
  rt: Runtime;
  ctx: HostContext;
  handlers: Handlers;
  /** Calls through the one dispatch wrapper, as IPC and the bridge do. */
  call(channel: unknown, arg?: unknown, as?: CallContext): ReturnType<typeof dispatch>;
  /** The next `event` the engine emits that satisfies `pred`. */
  next<E extends EventName>(
    event: E,
    pred?: (p: EventMap[E]) => boolean,
    timeoutMs?: number,
  ): Promise<EventMap[E]>;
  close(): Promise<void>;
}

/** A real engine on a fresh database, no HTTP server, no demo plant: what the desktop app's handlers see. */
export async function rig(o: { poll?: boolean; api?: boolean } = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'ems-ipc-'));
  const rt = await startRuntime({
    dbFile: join(dir, 'ems.db'),
    api: o.api ? { host: '127.0.0.1', port: 0 } : false,
    demo: 'never',
    poll: o.poll,
  });
  const ctx = hostContext(rt, 'electron', '9.9.9');
  const handlers = createHandlers(ctx);
  return {
    rt,
    ctx,
    handlers,
    call: (channel, arg, as) => dispatch(handlers, channel, arg, as),
    next: (event, pred = () => true, timeoutMs = 15_000) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => {
          off();
          fail(new Error(`no ${event} event within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = ctx.events.subscribe(event, (p) => {
          if (!pred(p)) return;
          clearTimeout(timer);
          off();
          done(p);
        });
      }),
    async close() {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
