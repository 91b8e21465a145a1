import type { RtuConnection, SystemType, TcpConnection } from '../../src-preload/contract/domain.js';
import type { NewDevice } from '../store/config-repo.js';
import type { SignalCatalogue } from './catalogue.js';
import type { DeviceModel } from './model-schema.js';

export interface InstantiateOptions {
  label?: string;
  partNumber?: string;
  system?: SystemType;
  pollMs?: number;
  /** Only these catalogue keys (default: every signal of the model). */
  keys?: readonly string[];
}

/** A configuration entry (device → one load → its signals) for a Modbus meter of a library model. */
export function deviceFromModel(
  model: DeviceModel,
  connection: RtuConnection | TcpConnection,
  catalogue: SignalCatalogue,
  o: InstantiateOptions = {},
): NewDevice {
  const protocol = 'host' in connection ? 'tcp' : 'rtu';
  const wanted = o.keys ? new Set(o.keys) : undefined;
  const signals = model.signals
    .filter((s) => !wanted || wanted.has(s.key))
    .map((s) => {
      const c = catalogue.key(s.key);
      return {
        key: s.key,
        si: c.si,
        kind: c.kind,
        type: c.type,
        unit: c.unit,
        source: { register: s.register, fc: s.fc },
      };
    });
  return {
    label: o.label ?? `${model.name} #${connection.unit}`,
    protocol,
    model: model.id,
    partNumber: o.partNumber ?? model.identification?.match[0]?.partNumber ?? model.id,
    system: o.system ?? model.systems[0] ?? '3P.N',
    connection,
    pollMs: o.pollMs,
    loads: [{ label: o.label ?? model.name, index: 1, type: 0, settings: { ...connection }, signals }],
  };
}
