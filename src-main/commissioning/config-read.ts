import { ModbusError } from '../bus/errors.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { ConfigRegister, DeviceModel } from '../devices/model-schema.js';
import { registerCount } from '../protocol/modbus/codec.js';
import { choiceLabel, decodeSetting } from './config-fields.js';
import { explainFailure } from './explain.js';

/** Where a meter's settings are read and written: its bus, its model and its unit id. */
export interface ConfigTarget {
  bus: ModbusBus;
  model: DeviceModel;
  unit: number;
}

export interface ConfigReading {
  key: string;
  /** In the setting's unit; null when it could not be read (or is a command). */
  value: number | null;
  /** The choice's label when the value is one. */
  choice: string | null;
  /** Why there is no value: "command", "this variant lacks it", or the failure in words. */
  error: string | null;
}

interface Block {
  fc: 3 | 4;
  address: number;
  count: number;
  regs: ConfigRegister[];
}

/** Adjacent settings in one request (no gaps: setup maps are sparse and meters refuse holes). */
function planBlocks(regs: readonly ConfigRegister[], max: number): Block[] {
  const sorted = [...regs].sort((a, b) => a.fc - b.fc || a.register - b.register);
  const blocks: Block[] = [];
  let cur: Block | undefined;
  for (const r of sorted) {
    const n = registerCount(r.type);
    if (cur && cur.fc === r.fc && cur.address + cur.count === r.register && cur.count + n <= max) {
      cur.count += n;
      cur.regs.push(r);
      continue;
    }
    cur = { fc: r.fc, address: r.register, count: n, regs: [r] };
    blocks.push(cur);
  }
  return blocks;
}

/**
 * Reads the meter's current settings (all of the model's, or `keys`). A block the meter refuses with
 * exception 2 is read register by register, so one setting a variant lacks does not hide the others.
 */
export async function readConfig(t: ConfigTarget, keys?: readonly string[]): Promise<ConfigReading[]> {
  const wanted = keys ? new Set(keys) : undefined;
  const all = (t.model.config ?? []).filter((c) => !wanted || wanted.has(c.key));
  const out = new Map<string, ConfigReading>();
  for (const c of all)
    if (c.writeOnly)
      out.set(c.key, { key: c.key, value: null, choice: null, error: 'command (not readable)' });
  const reading = (c: ConfigRegister, words: readonly number[], base: number): ConfigReading => {
    const value = decodeSetting(c, t.model, words.slice(c.register - base));
    return { key: c.key, value, choice: choiceLabel(c, value) ?? null, error: null };
  };
  const failed = (c: ConfigRegister, e: ModbusError): ConfigReading => ({
    key: c.key,
    value: null,
    choice: null,
    error:
      e.kind === 'exception' && e.exceptionCode === 2 ? 'this meter variant lacks it' : explainFailure(e),
  });
  for (const b of planBlocks(
    all.filter((c) => !c.writeOnly),
    t.model.maxRegistersPerRead,
  )) {
    try {
      const words = await t.bus.readRegisters(t.unit, b.fc, b.address, b.count);
      for (const c of b.regs) out.set(c.key, reading(c, words, b.address));
    } catch (e) {
      if (!(e instanceof ModbusError)) throw e;
      if (!(e.kind === 'exception' && e.exceptionCode === 2 && b.regs.length > 1)) {
        for (const c of b.regs) out.set(c.key, failed(c, e));
        if (e.kind === 'timeout' || e.kind === 'disconnected') break;
        continue;
      }
      for (const c of b.regs) {
        try {
          out.set(
            c.key,
            reading(
              c,
              await t.bus.readRegisters(t.unit, c.fc, c.register, registerCount(c.type)),
              c.register,
            ),
          );
        } catch (e2) {
          if (!(e2 instanceof ModbusError)) throw e2;
          out.set(c.key, failed(c, e2));
        }
      }
    }
  }
  // A meter that stopped answering leaves the rest unread, not silently missing.
  return all.map(
    (c) =>
      out.get(c.key) ?? {
        key: c.key,
        value: null,
        choice: null,
        error: 'not read: the meter stopped answering',
      },
  );
}
