import type { Device, Load, Signal } from '../../../src-preload/contract/domain.js';
import type { ConfigRepo } from '../../store/config-repo.js';
import { notFound, raise } from '../errors.js';

/** Finds a configured item by uid or answers 404. */
export const lookup = (config: ConfigRepo) => ({
  device: (uid: number): Device => config.device(uid) ?? raise(notFound('device', uid)),
  load: (uid: number): Load => config.load(uid) ?? raise(notFound('load', uid)),
  signal: (uid: number): Signal => config.signal(uid) ?? raise(notFound('signal', uid)),
  /** Signal uids of a load or device (404 when it does not exist). */
  signalsOf: (kind: 'load' | 'device', uid: number): number[] => {
    const exists = kind === 'load' ? config.load(uid) : config.device(uid);
    if (!exists) throw notFound(kind, uid);
    return config.signals(kind === 'load' ? { lid: uid } : { did: uid }).map((s) => s.uid);
  },
});
