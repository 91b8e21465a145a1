import type { Device, MainMeterView } from '../../src-preload/contract/index.js';
import { CommissioningError } from '../commissioning/service.js';
import type { DeviceTree } from '../store/config-repo.js';
import { deviceFromModel } from '../devices/instantiate.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { deadbandProblem } from '../store/deadband.js';
import { HandlerError, notFound } from './errors.js';
import { named } from './tree-view.js';

type TreeHandlers = Pick<
  Handlers,
  | 'config.tree'
  | 'config.models'
  | 'device.status'
  | 'device.add'
  | 'device.update'
  | 'device.remove'
  | 'load.update'
  | 'load.setMain'
  | 'signal.update'
>;

/** Devices → loads → signals: reading the tree, and the edits that restart polling where needed. */
export function treeHandlers(ctx: HostContext): TreeHandlers {
  const { engine } = ctx;
  const changed = (reason: string): void => ctx.events.emit('config.changed', { reason });
  /** Applies a changed configuration to polling; a device that cannot be polled says why. */
  const restart = (device: Device): void => {
    if (engine.config.poll === false) return;
    try {
      engine.attach(device);
    } catch (e) {
      throw new HandlerError(
        'failed',
        `saved, but polling "${device.label}" failed: ${(e as Error).message}`,
      );
    }
  };
  return {
    'config.tree': (arg) => {
      const protocol = arg?.protocol;
      return engine.store.config
        .tree()
        .filter((d) => !protocol || d.protocol === protocol)
        .map((d) => named(d, engine));
    },
    'config.models': () =>
      engine.library.all.map((m) => ({
        id: m.id,
        vendor: m.vendor,
        name: m.name,
        protocols: [...m.protocols],
        configurable: (m.config?.length ?? 0) > 0,
      })),
    'device.status': () => engine.poller.status(),
    'device.add': ({ model, connection, label }) => {
      const m = engine.library.get(model);
      if (!m) throw new HandlerError('not_found', `no device model "${model}" in the library`);
      const entry = deviceFromModel(m, { ...connection, model }, engine.catalogue, label ? { label } : {});
      let tree: DeviceTree;
      try {
        tree = engine.addDevice(entry);
      } catch (e) {
        changed('device added');
        throw new HandlerError('failed', `added, but it cannot be polled: ${(e as Error).message}`);
      }
      changed('device added');
      return named(tree, engine);
    },
    'device.update': ({ uid, ...patch }) => {
      const cur = engine.store.config.device(uid);
      if (!cur) throw notFound('device', uid);
      const next = engine.store.config.updateDevice(uid, patch);
      if (!next) throw notFound('device', uid);
      changed('device updated');
      if (patch.enable !== undefined || patch.pollMs !== undefined) restart(next);
      return next;
    },
    'device.remove': ({ uid }) => {
      const removed = engine.removeDevice(uid);
      if (removed) changed('device removed');
      return { removed };
    },
    'load.update': ({ uid, ...patch }) => {
      const next = engine.store.config.updateLoad(uid, patch);
      if (!next) throw notFound('load', uid);
      changed('load updated');
      const device = engine.store.config.device(next.did);
      if (device && patch.enable !== undefined) restart(device);
      return next;
    },
    'load.setMain': ({ uid, main }) => {
      let change: MainMeterView;
      try {
        change = engine.setMainMeter(uid, main);
      } catch (e) {
        if (e instanceof CommissioningError)
          throw e.code === 'not-found' ? notFound('load', uid) : new HandlerError('bad_request', e.message);
        throw e;
      }
      changed(main ? 'main meter chosen' : 'main meter cleared');
      return change;
    },
    'signal.update': ({ uid, enable, deadband }) => {
      if (deadband) {
        const problem = deadbandProblem({ delta: deadband.delta, maxGapMs: deadband.maxGapS * 1000 });
        if (problem) throw new HandlerError('bad_request', problem);
      }
      const next = engine.store.config.updateSignal(uid, { enable, deadband });
      if (!next) throw notFound('signal', uid);
      changed('signal updated');
      // A deadband takes effect in the store at once; only switching the signal restarts polling.
      const device = engine.store.config.device(next.did);
      if (device && enable !== undefined) restart(device);
      return next;
    },
  };
}
