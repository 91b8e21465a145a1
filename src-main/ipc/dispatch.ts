import type { InvokeChannel, InvokeMap, Result } from '../../src-preload/contract/index.js';
import { logger } from '../util/log.js';
import type { CallContext } from './context.js';
import { HandlerError } from './errors.js';
import { checkArgument, isChannel } from './validate.js';

export type Handler<K extends InvokeChannel> = (
  arg: InvokeMap[K]['req'],
  call: CallContext,
) => Promise<InvokeMap[K]['res']> | InvokeMap[K]['res'];
export type Handlers = { [K in InvokeChannel]: Handler<K> };

/**
 * Changes to accounts, API settings and the demo plant, and the integrations (admin-only in the API
 * too), need an admin when the caller is signed in; so does every change the site work makes (the
 * plan, meter settings written from it, load-step results and the baseline kept for the report).
 */
const ADMIN_ONLY: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>([
  'users.add',
  'users.remove',
  'users.password',
  'users.list',
  'tokens.list',
  'tokens.create',
  'tokens.revoke',
  'settings.update',
  'settings.demo',
  'integrations.get',
  'integrations.update',
  'site.update',
  'site.create',
  'site.import',
  'site.writePlan',
  'site.stepEvaluate',
  'site.crossCheck',
  'site.baseline',
  'site.demoLoad',
]);

const log = logger('ipc');

/**
 * THE wrapper every call goes through, from IPC and from the browser bridge alike: checks the channel
 * and the argument against the contract's schema, runs the handler, and turns every outcome into a
 * Result. Nothing a caller sends can throw past this point.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  arg: unknown,
  call: CallContext = { caller: null },
): Promise<Result<unknown>> {
  if (!isChannel(channel))
    return {
      ok: false,
      code: 'unknown_channel',
      message: `no call named ${JSON.stringify(channel)?.slice(0, 60)}`,
    };
  const reason = checkArgument(channel, arg);
  if (reason) return { ok: false, code: 'bad_request', message: `${channel}: ${reason}` };
  if (call.caller && call.caller.role !== 'admin' && ADMIN_ONLY.has(channel))
    return { ok: false, code: 'forbidden', message: `${channel} needs an admin account` };
  const h = handlers[channel] as (a: unknown, c: CallContext) => unknown;
  try {
    return { ok: true, data: await h(arg, call) };
  } catch (e) {
    if (e instanceof HandlerError) return { ok: false, code: e.code, message: e.message };
    const message = e instanceof Error ? e.message : String(e);
    log.warn({ channel, err: message }, 'call failed');
    return { ok: false, code: 'failed', message };
  }
}

/** The typed form of dispatch for callers inside main that know their channel. */
export function dispatchTyped<K extends InvokeChannel>(
  handlers: Handlers,
  channel: K,
  arg: InvokeMap[K]['req'],
  call?: CallContext,
): Promise<Result<InvokeMap[K]['res']>> {
  return dispatch(handlers, channel, arg, call) as Promise<Result<InvokeMap[K]['res']>>;
}
