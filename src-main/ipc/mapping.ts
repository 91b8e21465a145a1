import type {
  MapTarget,
  ModelSummary,
  RtuConnection,
  TcpConnection,
} from '../../src-preload/contract/index.js';

import { ModbusError } from '../bus/errors.js';
import { lineOf } from '../commissioning/service.js';
import { decodeRegisters, registerCount } from '../protocol/modbus/codec.js';
import { decodeTable } from '../mapping/decode-table.js';
import { probeRange } from '../mapping/probe-read.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';

type MappingHandlers = Pick<
  Handlers,
  | 'mapping.catalogue'
  | 'mapping.probe'
  | 'mapping.read'
  | 'mapping.save'
  | 'mapping.export'
  | 'mapping.import'
>;

const connectionOf = (t: MapTarget): RtuConnection | TcpConnection =>
  ({ ...t, model: 'probe' }) as RtuConnection | TcpConnection;

/** The map builder: probe a range, read picked registers live, save/export/import model files. */
export function mappingHandlers(ctx: HostContext): MappingHandlers {
  const { engine } = ctx;
  /** Runs `fn` on the engine's shared bus for the target's line (the poller's queue keeps them apart). */
  const onBus = async <T>(
    t: MapTarget,
    fn: (bus: ReturnType<typeof engine.buses.acquire>) => Promise<T>,
  ): Promise<T> => {
    const bus = engine.buses.acquire(lineOf(connectionOf(t)));
    try {
      return await fn(bus);
    } finally {
      await engine.buses.release(bus);
    }
  };
  const saved = (data: unknown, what: string): ModelSummary => {
    try {
      const m = engine.userModels.save(data, what);
      ctx.events.emit('config.changed', { reason: `model ${m.id} saved` });
      return {
        id: m.id,
        vendor: m.vendor,
        name: m.name,
        protocols: [...m.protocols],
        configurable: (m.config?.length ?? 0) > 0,
      };
    } catch (e) {
      throw new HandlerError('bad_request', (e as Error).message);
    }
  };
  return {
    'mapping.catalogue': () =>
      engine.catalogue.entries
        .filter((e) => e.type === 'float' || e.type === 'integer')
        .map((e) => ({ key: e.key, name: e.name, unit: e.unit })),
    'mapping.probe': async ({ target, fc, start, count }) => {
      if (start + count > 0x10000)
        throw new HandlerError('bad_request', 'the range runs past register 65535');
      return onBus(target, async (bus) => {
        const r = await probeRange(bus, target.unit, fc, start, count);
        return {
          endpoint: bus.endpoint,
          fc,
          rows: decodeTable(start, r.words),
          requests: r.requests,
          refusals: r.refusals,
        };
      });
    },
    'mapping.read': async ({ target, picks }) =>
      onBus(target, async (bus) => {
        const out: { value: number | null; words: number[] | null; error: string | null }[] = [];
        for (const p of picks) {
          const n = registerCount(p.type);
          if (p.register + n > 0x10000) {
            out.push({ value: null, words: null, error: 'runs past register 65535' });
            continue;
          }
          try {
            const words = await bus.readRegisters(target.unit, p.fc, p.register, n, { retries: 0 });
            const raw = decodeRegisters(words, p.type, p.wordOrder);
            const value = typeof raw === 'number' ? Number((raw * p.scale).toPrecision(9)) + 0 : null;
            out.push({ value, words, error: null });
          } catch (e) {
            if (!(e instanceof ModbusError)) throw e;
            out.push({ value: null, words: null, error: e.message });
          }
        }
        return out;
      }),
    'mapping.save': ({ model }) => saved(model, 'model'),
    'mapping.export': ({ id }) => {
      const m = engine.library.get(id);
      if (!m) throw new HandlerError('not_found', `no device model "${id}"`);
      return { fileName: `${m.id}.json`, json: `${JSON.stringify(m, null, 2)}\n` };
    },
    'mapping.import': ({ json }) => {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch (e) {
        throw new HandlerError('bad_request', `the file is not JSON: ${(e as Error).message}`);
      }
      return saved(data, 'imported model');
    },
  };
}
