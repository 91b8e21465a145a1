import type { Signal, SystemType } from '../../src-preload/contract/domain.js';
import type { CatalogueEntry, SignalCatalogue } from '../devices/catalogue.js';
import type { NewDevice } from '../store/config-repo.js';
import { FormulaSyntaxError, parseFormula, walk, type Expr } from './formula-parser.js';
import { describeUnit, formulaUnit, FormulaUnitError, unitFits } from './formula-units.js';
import { virtualSignals, type ConfigView, type VirtualLoadSettings } from './virtual-config.js';

export interface VirtualSignalSpec {
  /** Catalogue key of the computed signal: decides its si, unit, kind (gauge/counter) and type. */
  key: string;
  formula: string;
}

export interface VirtualDeviceSpec {
  label: string;
  signals: readonly VirtualSignalSpec[];
  pollMs?: number;
  system?: SystemType;
}

export type VirtualErrorCode =
  | 'label'
  | 'empty'
  | 'poll'
  | 'unknown-key'
  | 'duplicate-key'
  | 'not-numeric'
  | 'syntax'
  | 'unknown-signal'
  | 'division-by-zero'
  | 'cycle'
  | 'unit';

/** A virtual device that cannot be saved; `key` names the signal, `pos` the 0-based spot in its formula. */
export class VirtualValidationError extends Error {
  constructor(
    readonly code: VirtualErrorCode,
    message: string,
    readonly key?: string,
    readonly pos?: number,
  ) {
    super(key === undefined ? message : `${key}: ${message}`);
    this.name = 'VirtualValidationError';
  }
}

type Ref = Expr & { kind: 'signal' | 'key' };
const refsOf = (e: Expr): Ref[] =>
  [...walk(e)].filter((n): n is Ref => n.kind === 'signal' || n.kind === 'key');
const numeric = (type: Signal['type']): boolean => type === 'float' || type === 'integer';

interface Checked {
  spec: VirtualSignalSpec;
  entry: CatalogueEntry;
  expr: Expr;
}

/**
 * Validates a virtual device against the catalogue and the current configuration and returns it ready
 * for `ConfigRepo.addDevice`. Throws VirtualValidationError on the first problem: unknown or repeated
 * key, syntax, unknown signal, division by the constant 0, a cycle through other virtual signals, or a
 * unit that does not add up.
 */
export function buildVirtualDevice(
  spec: VirtualDeviceSpec,
  ctx: { catalogue: SignalCatalogue; config: ConfigView },
): NewDevice {
  const label = spec.label.trim();
  if (!label) throw new VirtualValidationError('label', 'a virtual device needs a label');
  if (label.length > 100)
    throw new VirtualValidationError('label', 'the label is longer than 100 characters');
  if (!spec.signals.length)
    throw new VirtualValidationError('empty', 'a virtual device needs at least one signal');
  if (
    spec.pollMs !== undefined &&
    (!Number.isInteger(spec.pollMs) || spec.pollMs < 100 || spec.pollMs > 3_600_000)
  )
    throw new VirtualValidationError('poll', `poll period must be 100..3600000 ms, got ${spec.pollMs}`);

  const checked: Checked[] = [];
  for (const s of spec.signals) {
    const entry = ctx.catalogue.byKey.get(s.key);
    if (!entry) throw new VirtualValidationError('unknown-key', `"${s.key}" is not in the signal catalogue`);
    if (checked.some((c) => c.spec.key === s.key))
      throw new VirtualValidationError('duplicate-key', 'given twice; one formula per signal', s.key);
    if (!numeric(entry.type))
      throw new VirtualValidationError(
        'not-numeric',
        `is a ${entry.type} signal; formulas compute numbers`,
        s.key,
      );
    try {
      checked.push({ spec: s, entry, expr: parseFormula(s.formula) });
    } catch (err) {
      if (err instanceof FormulaSyntaxError)
        throw new VirtualValidationError('syntax', err.message, s.key, err.pos);
      throw err;
    }
  }

  const configured = new Map(ctx.config.signals().map((s) => [s.uid, s]));
  const siblings = new Map(checked.map((c) => [c.spec.key, c]));
  for (const c of checked) checkReferences(c, configured, siblings, ctx.config);
  checkCycles(checked, ctx.config);
  for (const c of checked) checkUnit(c, configured, siblings);

  const settings: VirtualLoadSettings = {
    formulas: Object.fromEntries(checked.map((c) => [c.spec.key, c.spec.formula.trim()])),
  };
  return {
    label,
    protocol: 'virtual',
    model: null,
    partNumber: 'virtual',
    system: spec.system ?? '3P.N',
    connection: {},
    pollMs: spec.pollMs,
    loads: [
      {
        label,
        index: 1,
        type: 0,
        settings: { ...settings },
        signals: checked.map((c) => ({
          key: c.entry.key,
          si: c.entry.si,
          kind: c.entry.kind,
          type: c.entry.type,
          unit: c.entry.unit,
        })),
      },
    ],
  };
}

function checkReferences(
  c: Checked,
  configured: ReadonlyMap<number, Signal>,
  siblings: ReadonlyMap<string, Checked>,
  config: ConfigView,
): void {
  const key = c.spec.key;
  for (const ref of refsOf(c.expr)) {
    if (ref.kind === 'key') {
      if (!siblings.has(ref.key))
        throw new VirtualValidationError(
          'unknown-signal',
          `"${ref.key}" at column ${ref.pos + 1} is not a signal of this virtual device (refer to other signals by uid, e.g. s123)`,
          key,
          ref.pos,
        );
      continue;
    }
    const target = configured.get(ref.uid);
    if (!target) {
      const what = config.device(ref.uid) ? 'a device' : config.load(ref.uid) ? 'a load' : undefined;
      throw new VirtualValidationError(
        'unknown-signal',
        what
          ? `s${ref.uid} at column ${ref.pos + 1} is ${what}, not a signal`
          : `unknown signal s${ref.uid} at column ${ref.pos + 1}`,
        key,
        ref.pos,
      );
    }
    if (!numeric(target.type))
      throw new VirtualValidationError(
        'not-numeric',
        `s${ref.uid} (${target.key}) at column ${ref.pos + 1} is a ${target.type} signal, not a number`,
        key,
        ref.pos,
      );
  }
  for (const n of walk(c.expr))
    if (n.kind === 'binary' && n.op === '/' && n.right.kind === 'num' && n.right.value === 0)
      throw new VirtualValidationError(
        'division-by-zero',
        `division by 0 at column ${n.pos + 1}`,
        key,
        n.pos,
      );
}

/** Walks the references of the new signals through every existing virtual formula. */
function checkCycles(checked: readonly Checked[], config: ConfigView): void {
  const existing = virtualSignals(config);
  const edges = (node: string): string[] => {
    if (node.startsWith('new:')) {
      const c = checked.find((x) => `new:${x.spec.key}` === node)!;
      return refsOf(c.expr).map((r) => (r.kind === 'key' ? `new:${r.key}` : `s${r.uid}`));
    }
    return (existing.get(Number(node.slice(1)))?.refs ?? []).map((u) => `s${u}`);
  };
  const name = (node: string): string => (node.startsWith('new:') ? node.slice(4) : node);
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): void => {
    if (done.has(node)) return;
    const at = path.indexOf(node);
    if (at >= 0) {
      const loop = [...path.slice(at), node].map(name).join(' → ');
      const first = path[0]!;
      throw new VirtualValidationError('cycle', `cycle through virtual signals: ${loop}`, name(first));
    }
    path.push(node);
    for (const next of edges(node)) visit(next);
    path.pop();
    done.add(node);
  };
  for (const c of checked) visit(`new:${c.spec.key}`);
}

function checkUnit(
  c: Checked,
  configured: ReadonlyMap<number, Signal>,
  siblings: ReadonlyMap<string, Checked>,
): void {
  const unitOf = (ref: Ref): string =>
    ref.kind === 'key' ? siblings.get(ref.key)!.entry.unit : configured.get(ref.uid)!.unit;
  let unit;
  try {
    unit = formulaUnit(c.expr, unitOf);
  } catch (err) {
    if (err instanceof FormulaUnitError)
      throw new VirtualValidationError('unit', err.message, c.spec.key, err.pos);
    throw err;
  }
  if (!unitFits(unit, c.entry.unit)) {
    const target = c.entry.unit === '' ? 'dimensionless' : `in ${c.entry.unit}`;
    throw new VirtualValidationError(
      'unit',
      `is ${target} but the formula gives ${describeUnit(unit)}`,
      c.spec.key,
    );
  }
}
