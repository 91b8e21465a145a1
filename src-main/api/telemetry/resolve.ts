import type { Load, Signal } from '../../../src-preload/contract/domain.js';
import type { ConfigRepo } from '../../store/config-repo.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL_UID = /^[1-9][0-9]{0,15}$/;

/** A telemetry device is one of our loads: named by its UUID or by its decimal uid. */
export function findLoad(config: ConfigRepo, id: string): Load | undefined {
  if (UUID.test(id)) return config.loadByUuid(id.toLowerCase());
  if (DECIMAL_UID.test(id)) return config.load(Number(id));
  return undefined;
}

/** Attributes of a load by catalogue key (the first signal wins if a key were repeated). */
export function attributesOf(config: ConfigRepo, load: Load): Map<string, Signal> {
  const out = new Map<string, Signal>();
  for (const s of config.signals({ lid: load.uid })) if (!out.has(s.key)) out.set(s.key, s);
  return out;
}
