import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signal } from '../../src-preload/contract/domain.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import type { DeviceTree } from '../../src-main/store/config-repo.js';

/** A fresh engine on a temporary database file. */
export const tmpEngine = (poll = false): Engine =>
  new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-virtual-')), 'ems.db'), poll });

/** Adds an SDM630 on TCP (nothing needs to listen unless the engine polls). */
export function addMeter(engine: Engine, label: string, port: number, keys?: readonly string[]): DeviceTree {
  const model = engine.library.require('eastron-sdm630');
  return engine.store.config.addDevice({
    ...deviceFromModel(model, { host: '127.0.0.1', port, unit: 1, model: model.id }, engine.catalogue, {
      label,
      keys,
    }),
    pollMs: 200,
  });
}

export function signal(tree: DeviceTree, key: string): Signal {
  const s = tree.loads.flatMap((l) => l.signals).find((x) => x.key === key);
  if (!s) throw new Error(`device ${tree.uid} has no signal ${key}`);
  return s;
}
