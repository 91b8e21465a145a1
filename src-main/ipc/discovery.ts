import type { RtuScanRequest, ScanRequest, TcpScanRequest } from '../../src-preload/contract/index.js';
import { CommissioningError } from '../commissioning/service.js';
import { expandHosts, HostListError } from '../discovery/hosts.js';
import { serialLabel } from '../discovery/scan-order.js';
import type { RtuPosition, ScanProgress, ScanReport, TcpPosition } from '../discovery/scan-types.js';
import type { HostContext } from './context.js';
import { foundView, glance, scansOf, type ScanEntry } from './discovery-scans.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';
import { named } from './tree-view.js';

/** Progress reaches the renderer at most this often (the last one always). */
const PROGRESS_EVERY_MS = 200;

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

function units(req: ScanRequest): number[] {
  if (req.units.from > req.units.to)
    throw new HandlerError('bad_request', 'unit ids: the first must not exceed the last');
  if (req.protocol === 'rtu' && req.units.from < 1)
    throw new HandlerError('bad_request', 'unit ids on RS485: 1…247');
  if (req.protocol === 'rtu' && req.units.to > 247)
    throw new HandlerError('bad_request', 'unit ids on RS485: 1…247');
  return range(req.units.from, req.units.to);
}

function hosts(req: TcpScanRequest): string[] {
  try {
    return expandHosts(req.hosts.join(','));
  } catch (e) {
    if (e instanceof HostListError) throw new HandlerError('bad_request', e.message);
    throw e;
  }
}

function where(p: ScanProgress<RtuPosition | TcpPosition>): string {
  const c = p.current;
  if ('baud' in c) return `${serialLabel(c.baud, c.parity)} · unit ${c.unit}`;
  return `${c.host}:${c.port}${c.unit === undefined ? ' · connecting' : ` · unit ${c.unit}`}`;
}

/** Scans with progress, cancel and results that can be added; the engine's scanRtu/scanTcp do the work. */
export function discoveryHandlers(
  ctx: HostContext,
): Pick<Handlers, 'discovery.ports' | 'discovery.start' | 'discovery.cancel' | 'discovery.add'> {
  const { engine, events } = ctx;
  const scans = scansOf(engine);

  const run = async (
    entry: ScanEntry,
    req: ScanRequest,
    list: number[],
    hostList: string[],
  ): Promise<void> => {
    const started = Date.now();
    let lastEmit = 0;
    let last: ScanProgress<RtuPosition | TcpPosition> | undefined;
    const emit = (p: ScanProgress<RtuPosition | TcpPosition>): void => {
      const elapsed = Date.now() - started;
      events.emit('discovery.progress', {
        scanId: entry.scanId,
        done: p.done,
        total: p.total,
        current: where(p),
        etaMs: p.done > 0 ? Math.round((elapsed / p.done) * (p.total - p.done)) : null,
        found: p.found,
      });
      lastEmit = Date.now();
    };
    const hooks = {
      signal: entry.abort.signal,
      onProgress: (p: ScanProgress<RtuPosition | TcpPosition>) => {
        last = p;
        if (Date.now() - lastEmit >= PROGRESS_EVERY_MS) emit(p);
      },
      onFound: (f: (typeof entry.found)[number]) => {
        entry.found.push(f);
        const view = foundView(engine, entry.scanId, entry.found.length - 1, f);
        entry.views.push(view);
        events.emit('discovery.found', { scanId: entry.scanId, device: view });
      },
    };
    let report: ScanReport | undefined;
    let failure: string | null = null;
    try {
      report =
        req.protocol === 'rtu'
          ? await engine.scanRtu(rtuOptions(req, list), hooks)
          : await engine.scanTcp({ hosts: hostList, port: req.port, units: list }, hooks);
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    }
    if (last) emit(last);
    for (let i = 0; i < entry.found.length; i++) {
      const f = entry.found[i];
      const v = entry.views[i];
      if (f && v) v.firstValues = await glance(engine, f, entry.abort.signal);
    }
    entry.running = false;
    events.emit('discovery.finished', {
      scanId: entry.scanId,
      outcome: failure ? 'failed' : report?.cancelled ? 'cancelled' : 'done',
      message: failure,
      hints: report?.hints ?? [],
      durationMs: Date.now() - started,
      found: entry.views,
    });
  };

  return {
    'discovery.ports': async () => (await engine.listPorts()).map(({ pnpId: _p, ...rest }) => rest),
    'discovery.start': (req) => {
      const list = units(req);
      const hostList = req.protocol === 'tcp' ? hosts(req) : [];
      const total =
        req.protocol === 'rtu'
          ? new Set(req.bauds).size * new Set(req.parities).size * new Set(req.stopBits).size * list.length
          : hostList.length * list.length;
      const entry = scans.create();
      // A refusal the engine knows up front (the port is being polled) is an answer, not a failed scan.
      void run(entry, req, list, hostList).catch((e: unknown) => {
        entry.running = false;
        events.emit('discovery.finished', {
          scanId: entry.scanId,
          outcome: 'failed',
          message: (e as Error).message,
          hints: [],
          durationMs: 0,
          found: entry.views,
        });
      });
      return { scanId: entry.scanId, total };
    },
    'discovery.cancel': ({ scanId }) => {
      const e = scans.get(scanId);
      if (!e) throw new HandlerError('not_found', `no scan ${scanId}`);
      const cancelled = e.running && !e.abort.signal.aborted;
      e.abort.abort();
      return { cancelled };
    },
    'discovery.add': ({ id, label, loadType }) => {
      const [scanId = '', index = ''] = id.split('/');
      const found = scans.get(scanId)?.found[Number(index)];
      if (!found) throw new HandlerError('not_found', 'that scan result is no longer known: scan again');
      try {
        const tree = engine.addFromScan(found, {
          ...(label ? { label } : {}),
          ...(loadType !== undefined ? { loadType } : {}),
        });
        events.emit('config.changed', { reason: 'device added from scan' });
        return named(tree, engine);
      } catch (e) {
        if (e instanceof CommissioningError) throw new HandlerError('conflict', e.message);
        throw new HandlerError('bad_request', (e as Error).message);
      }
    },
  };
}

function rtuOptions(req: RtuScanRequest, list: number[]) {
  return { port: req.port, bauds: req.bauds, parities: req.parities, stopBits: req.stopBits, units: list };
}
