import type { P1AttemptView, P1DetectView } from '../../src-preload/contract/index.js';
import { CommissioningError } from '../commissioning/service.js';
import type { P1DetectResult, P1LineSettings } from '../bus/p1-detect.js';
import type { Engine } from '../engine.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';
import { Remembered } from './remembered.js';
import { named } from './tree-view.js';

type Detected = Extract<P1DetectResult, { ok: true }>;

/** Long enough for one DSMR 2.2–4 telegram (every 10 s); DSMR 5 sends every second. */
const DEFAULT_LISTEN_MS = 12_000;

/** "115200 8N1", "9600 7E1". */
export function p1Settings(s: P1LineSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]?.toUpperCase() ?? 'N'}${s.stopBits}`;
}

const detections = new WeakMap<Engine, { kept: Remembered<Detected>; abort: AbortController }>();
function stateOf(engine: Engine): { kept: Remembered<Detected>; abort: AbortController } {
  let s = detections.get(engine);
  if (!s) {
    const state = { kept: new Remembered<Detected>(), abort: new AbortController() };
    // A detection still listening when the engine closes stops and frees its port.
    engine.onClose(() => state.abort.abort());
    detections.set(engine, state);
    s = state;
  }
  return s;
}

/** P1 port detection (settings, DSMR version) and adding the port; engine.detectP1 does the work. */
export function p1Handlers(ctx: HostContext): Pick<Handlers, 'p1.detect' | 'p1.add'> {
  const { engine, events } = ctx;
  const state = stateOf(engine);

  return {
    'p1.detect': async ({ port, listenMs }): Promise<P1DetectView> => {
      const r = await engine.detectP1(port, {
        listenMs: listenMs ?? DEFAULT_LISTEN_MS,
        signal: state.abort.signal,
      });
      const attempts: P1AttemptView[] = r.attempts.map((a) => ({
        settings: p1Settings(a.settings),
        outcome: a.outcome,
        bytes: a.bytes,
        detail: a.detail ?? null,
      }));
      if (!r.ok) return { ok: false, port, reason: r.reason, detail: r.detail, attempts };
      return {
        ok: true,
        id: state.kept.put(r),
        port: r.settings.path,
        settings: p1Settings(r.settings),
        dsmr: r.dsmr,
        versionLabel: r.versionLabel,
        header: r.header,
        crc: r.crc,
        evidence: r.evidence,
        attempts,
      };
    },
    'p1.add': ({ id, label }) => {
      const detected = state.kept.get(id);
      if (!detected)
        throw new HandlerError('not_found', 'that P1 detection is no longer known: detect again');
      try {
        const tree = engine.addP1(detected, label);
        events.emit('config.changed', { reason: 'P1 port added from detection' });
        return named(tree, engine);
      } catch (e) {
        if (e instanceof CommissioningError) throw new HandlerError('conflict', e.message);
        throw new HandlerError('bad_request', (e as Error).message);
      }
    },
  };
}
