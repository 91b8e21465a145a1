import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';

export function infoHandlers(ctx: HostContext): Pick<Handlers, 'engine.info'> {
  return {
    'engine.info': (_arg, call) => ({
      version: ctx.version,
      host: ctx.host,
      dbFile: ctx.engine.config.dbFile,
      apiUrl: ctx.apiUrl(),
      demo: ctx.demo.running(),
      user: call.caller ? { username: call.caller.username, role: call.caller.role } : null,
    }),
  };
}
