import type { Expr } from './formula-parser.js';

/**
 * The unit a formula yields, derived from its inputs' catalogue units. We do no dimensional algebra
 * (W = V·A·PF is physics, not bookkeeping): a product or quotient of two units becomes "derived",
 * which only a dimensionless target (unit '') accepts.
 */
export type FormulaUnit =
  /** A bare number: scales without changing a unit, and in + / - takes the other side's unit. */
  { k: 'const' } | { k: 'unit'; unit: string } | { k: 'derived'; text: string };

/** A unit rule broken at `pos` (0-based offset in the formula). */
export class FormulaUnitError extends Error {
  constructor(
    readonly reason: string,
    readonly pos: number,
  ) {
    super(`${reason} at column ${pos + 1}`);
    this.name = 'FormulaUnitError';
  }
}

const label = (u: FormulaUnit): string =>
  u.k === 'const'
    ? 'a number'
    : u.k === 'derived'
      ? `"${u.text}"`
      : u.unit === ''
        ? 'a dimensionless value'
        : `${u.unit}`;

const text = (u: FormulaUnit): string => (u.k === 'unit' ? u.unit || '1' : u.k === 'derived' ? u.text : '1');

/** Both sides of + and -, and every argument of sum/min/max, must agree. */
function additive(a: FormulaUnit, b: FormulaUnit, what: string, pos: number): FormulaUnit {
  if (a.k === 'const') return b;
  if (b.k === 'const') return a;
  if (a.k === 'unit' && b.k === 'unit') {
    if (a.unit === b.unit) return a;
    throw new FormulaUnitError(`cannot ${what} ${label(a)} and ${label(b)}`, pos);
  }
  // A derived unit is opaque: it can only meet another opaque or dimensionless value.
  const other = a.k === 'derived' ? b : a;
  if (other.k === 'derived' || (other.k === 'unit' && other.unit === '')) return a.k === 'derived' ? a : b;
  throw new FormulaUnitError(`cannot ${what} ${label(a)} and ${label(b)}`, pos);
}

function multiply(a: FormulaUnit, b: FormulaUnit): FormulaUnit {
  if (a.k === 'const' || (a.k === 'unit' && a.unit === '')) return b.k === 'const' ? a : b;
  if (b.k === 'const' || (b.k === 'unit' && b.unit === '')) return a;
  return { k: 'derived', text: `${text(a)}·${text(b)}` };
}

function divide(a: FormulaUnit, b: FormulaUnit): FormulaUnit {
  if (b.k === 'const' || (b.k === 'unit' && b.unit === '')) return a;
  if (a.k === 'unit' && b.k === 'unit' && a.unit === b.unit) return { k: 'unit', unit: '' };
  return { k: 'derived', text: `${text(a)}/${text(b)}` };
}

/** The unit of a formula; `unitOf` gives each referenced signal's unit (it has already been resolved). */
export function formulaUnit(
  e: Expr,
  unitOf: (ref: Expr & { kind: 'signal' | 'key' }) => string,
): FormulaUnit {
  switch (e.kind) {
    case 'num':
      return { k: 'const' };
    case 'signal':
    case 'key':
      return { k: 'unit', unit: unitOf(e) };
    case 'neg':
      return formulaUnit(e.arg, unitOf);
    case 'binary': {
      const a = formulaUnit(e.left, unitOf);
      const b = formulaUnit(e.right, unitOf);
      if (e.op === '+') return additive(a, b, 'add', e.pos);
      if (e.op === '-') return additive(a, b, 'subtract', e.pos);
      return e.op === '*' ? multiply(a, b) : divide(a, b);
    }
    case 'call': {
      const units = e.args.map((a) => formulaUnit(a, unitOf));
      if (e.fn === 'abs') return units[0]!;
      return units.reduce((acc, u) => additive(acc, u, `take ${e.fn}() of`, e.pos));
    }
  }
}

/** Whether a formula of unit `u` may be stored as a signal whose catalogue unit is `target`. */
export function unitFits(u: FormulaUnit, target: string): boolean {
  if (u.k === 'const') return true;
  if (u.k === 'derived') return target === '';
  return u.unit === target;
}

export const describeUnit = label;
