import type { FoundValue, MbusFoundView } from '../../src-preload/contract/index.js';
import { CommissioningError } from '../commissioning/service.js';
import { MBUS_BAUDS, type MbusLineFound } from '../discovery/mbus-line-scan.js';
import { mbusValues } from '../drivers/mbus-driver.js';
import type { Engine } from '../engine.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';
import { Remembered } from './remembered.js';
import { named } from './tree-view.js';

/** Progress reaches the renderer at most this often (the last one always). */
const PROGRESS_EVERY_MS = 200;
/** Values shown per found meter. */
const FIRST_VALUES = 4;

export interface MbusScan {
  port: string;
  abort: AbortController;
  running: boolean;
  found: MbusLineFound[];
}

const scansByEngine = new WeakMap<Engine, Remembered<MbusScan>>();
export function mbusScansOf(engine: Engine): Remembered<MbusScan> {
  let r = scansByEngine.get(engine);
  if (!r) {
    const reg = new Remembered<MbusScan>(5, (s) => s.abort.abort());
    engine.onClose(() => reg.clear());
    scansByEngine.set(engine, reg);
    r = reg;
  }
  return r;
}

/** The catalogue values of a readout, first few: what shows the meter is really there. */
export function mbusFirstValues(engine: Engine, f: MbusLineFound): FoundValue[] {
  if (!f.reading) return [];
  const out: FoundValue[] = [];
  for (const [key, v] of mbusValues(f.reading)) {
    const c = engine.catalogue.byKey.get(key);
    if (!c) continue;
    const value = typeof v.value === 'boolean' ? Number(v.value) : v.value;
    out.push({ key, name: c.name, value, unit: c.unit ?? '' });
    if (out.length === FIRST_VALUES) break;
  }
  return out;
}

function view(engine: Engine, scanId: string, index: number, f: MbusLineFound): MbusFoundView {
  return {
    id: `${scanId}/${index}`,
    primaryAddress: f.primaryAddress ?? null,
    secondaryAddress: f.secondaryAddress ?? null,
    meterId: f.id ?? null,
    manufacturer: f.manufacturer ?? null,
    medium: f.mediumName ?? null,
    baud: f.baud,
    firstValues: mbusFirstValues(engine, f),
    readable: f.reading !== undefined,
    problem: f.problem ?? null,
  };
}

/** M-Bus line scans with progress, cancel and results that can be added; engine.scanMbus does the work. */
export function mbusHandlers(ctx: HostContext): Pick<Handlers, 'mbus.scan' | 'mbus.cancel' | 'mbus.add'> {
  const { engine, events } = ctx;
  const scans = mbusScansOf(engine);

  return {
    'mbus.scan': (req) => {
      if (req.primary && req.primary.from > req.primary.to)
        throw new HandlerError('bad_request', 'primary addresses: the first must not exceed the last');
      if (!req.primary && !req.secondary)
        throw new HandlerError(
          'bad_request',
          'choose a primary address range, the secondary search, or both',
        );
      const bauds = [...new Set(req.bauds)];
      const odd = bauds.filter((b) => !(MBUS_BAUDS as readonly number[]).includes(b));
      if (odd.length)
        throw new HandlerError(
          'bad_request',
          `${odd.join(', ')}: not an M-Bus baud rate (${MBUS_BAUDS.join(', ')})`,
        );
      const perBaud = req.primary ? req.primary.to - req.primary.from + 1 : 0;
      const total = bauds.length * perBaud;
      const scan: MbusScan = { port: req.port, abort: new AbortController(), running: true, found: [] };
      const scanId = scans.put(scan);
      const started = Date.now();
      let lastEmit = 0;
      // Each baud rate restarts the engine's count; the page shows one bar over all of them.
      let offset = 0;
      let lastBaud = bauds[0];
      let lastTotal = 0;
      const onProgress = (p: { done: number; total: number; current: string; baud: number }): void => {
        if (p.baud !== lastBaud) {
          offset += lastTotal;
          lastBaud = p.baud;
        }
        lastTotal = p.total;
        const left = bauds.length - 1 - bauds.indexOf(p.baud);
        const done = offset + p.done;
        const all = offset + p.total + left * perBaud;
        if (Date.now() - lastEmit < PROGRESS_EVERY_MS && p.done < p.total) return;
        lastEmit = Date.now();
        const elapsed = Date.now() - started;
        events.emit('mbus.progress', {
          scanId,
          done,
          total: all,
          current: `${p.baud} baud · ${p.current}`,
          etaMs: done > 0 ? Math.round((elapsed / done) * (all - done)) : null,
          found: scan.found.length,
        });
      };
      const options = {
        port: req.port,
        bauds,
        secondary: req.secondary,
        ...(req.primary ? { primary: req.primary } : {}),
      };
      void engine
        .scanMbus(options, { signal: scan.abort.signal, onProgress })
        .then(
          (found) => {
            scan.found = found;
            return null;
          },
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        )
        .then((failure) => {
          scan.running = false;
          events.emit('mbus.finished', {
            scanId,
            // A cancelled scan ends with the abort error; that is the answer asked for, not a failure.
            outcome: scan.abort.signal.aborted ? 'cancelled' : failure ? 'failed' : 'done',
            message: scan.abort.signal.aborted ? null : failure,
            durationMs: Date.now() - started,
            found: scan.found.map((f, i) => view(engine, scanId, i, f)),
          });
        });
      return { scanId, total };
    },
    'mbus.cancel': ({ scanId }) => {
      const s = scans.get(scanId);
      if (!s) throw new HandlerError('not_found', `no M-Bus scan ${scanId}`);
      const cancelled = s.running && !s.abort.signal.aborted;
      s.abort.abort();
      return { cancelled };
    },
    'mbus.add': ({ id, label }) => {
      const [scanId = '', index = ''] = id.split('/');
      const scan = scans.get(scanId);
      const found = scan?.found[Number(index)];
      if (!scan || !found)
        throw new HandlerError('not_found', 'that M-Bus result is no longer known: scan again');
      if (!found.reading)
        throw new HandlerError(
          'bad_request',
          `this meter could not be read (${found.problem ?? 'no readout'})`,
        );
      try {
        const tree = engine.addMbusMeter(found, scan.port, label);
        events.emit('config.changed', { reason: 'M-Bus meter added from scan' });
        return named(tree, engine);
      } catch (e) {
        if (e instanceof CommissioningError) throw new HandlerError('conflict', e.message);
        throw new HandlerError('bad_request', (e as Error).message);
      }
    },
  };
}
