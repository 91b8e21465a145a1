import type { Load, Signal } from '../../src-preload/contract/domain.js';
import type { ConfigRepo } from '../store/config-repo.js';
import { parseFormula, walk, type Expr } from './formula-parser.js';

/**
 * How a virtual load keeps its formulas: `settings.formulas` maps each signal's catalogue key to its
 * formula text (the API reports the load's settings under `virtual`, so that object holds the formulas).
 */
export interface VirtualLoadSettings {
  formulas: Record<string, string>;
}

/** The part of the configuration virtual devices read. */
export type ConfigView = Pick<ConfigRepo, 'signals' | 'signal' | 'devices' | 'loads' | 'device' | 'load'>;

/** One virtual signal of the configuration with its formula parsed and its references resolved to uids. */
export interface CompiledSignal {
  signal: Signal;
  formula: string;
  /** null when the stored formula no longer parses or refers to a key the load does not have. */
  expr: Expr | null;
  error: string | null;
  /** uids this formula reads (sibling keys resolved), in formula order, without repeats. */
  refs: number[];
  /** A reference node → the uid it reads. */
  resolve(ref: Expr & { kind: 'signal' | 'key' }): number;
}

/** The formulas of a load's settings; tolerant of hand-edited settings (non-strings are ignored). */
export function formulasOf(settings: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  const f = settings.formulas;
  if (f && typeof f === 'object' && !Array.isArray(f))
    for (const [k, v] of Object.entries(f)) if (typeof v === 'string') out.set(k, v);
  return out;
}

/** Parses and resolves every formula of one virtual load. */
export function compileVirtualLoad(load: Load, signals: readonly Signal[]): CompiledSignal[] {
  const formulas = formulasOf(load.settings);
  const byKey = new Map(signals.filter((s) => s.lid === load.uid).map((s) => [s.key, s.uid]));
  const resolve = (ref: Expr & { kind: 'signal' | 'key' }): number =>
    ref.kind === 'signal' ? ref.uid : (byKey.get(ref.key) ?? -1);
  return signals
    .filter((s) => s.lid === load.uid)
    .map((signal) => {
      const formula = formulas.get(signal.key);
      if (formula === undefined)
        return {
          signal,
          formula: '',
          expr: null,
          error: 'no formula stored for this signal',
          refs: [],
          resolve,
        };
      try {
        const expr = parseFormula(formula);
        const refs: number[] = [];
        for (const n of walk(expr)) {
          if (n.kind !== 'signal' && n.kind !== 'key') continue;
          const uid = resolve(n);
          if (n.kind === 'key' && uid < 0) throw new Error(`"${n.key}" is not a signal of this load`);
          if (!refs.includes(uid)) refs.push(uid);
        }
        return { signal, formula, expr, error: null, refs, resolve };
      } catch (err) {
        return { signal, formula, expr: null, error: (err as Error).message, refs: [], resolve };
      }
    });
}

/** Every virtual signal of the configuration, by uid. */
export function virtualSignals(config: ConfigView): Map<number, CompiledSignal> {
  const out = new Map<number, CompiledSignal>();
  for (const d of config.devices({ protocol: 'virtual' })) {
    const signals = config.signals({ did: d.uid });
    for (const l of config.loads({ did: d.uid }))
      for (const c of compileVirtualLoad(l, signals)) out.set(c.signal.uid, c);
  }
  return out;
}
