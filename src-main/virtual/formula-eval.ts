import type { SampleStatus } from '../../src-preload/contract/domain.js';
import type { BinaryOp, Expr, FunctionName } from './formula-parser.js';

/** One input or output value with the realtime status codes: 1 valid, 0 stale, 2 out of range. */
export type Evaluated = { status: 1; value: number } | { status: 0 | 2; value: null; reason: string };

/** The current value of a referenced signal (`s123`, or a sibling by key). */
export type InputLookup = (ref: Expr & { kind: 'signal' | 'key' }) => Evaluated;

const bad = (status: 0 | 2, reason: string): Evaluated => ({ status, value: null, reason });

/**
 * Evaluates a formula. Every input is looked up first: one stale (or missing) input makes the result
 * stale, otherwise one out-of-range input makes it out of range — a computed value never silently mixes
 * a fresh reading with an old one. Division by zero and non-finite results are out of range (2).
 */
export function evaluate(e: Expr, lookup: InputLookup): Evaluated {
  let worst: Evaluated | undefined;
  const values = new Map<Expr, number>();
  collect(e, (ref) => {
    const v = lookup(ref);
    if (v.status === 1) values.set(ref, v.value);
    else if (!worst || (worst.status === 2 && v.status === 0)) worst = v;
  });
  if (worst) return worst;
  try {
    const value = compute(e, values);
    if (!Number.isFinite(value)) return bad(2, 'the result is not a finite number');
    return { status: 1, value };
  } catch (err) {
    if (err instanceof DivisionByZero) return bad(2, `division by zero at column ${err.pos + 1}`);
    throw err;
  }
}

class DivisionByZero extends Error {
  constructor(readonly pos: number) {
    super('division by zero');
  }
}

function collect(e: Expr, visit: (ref: Expr & { kind: 'signal' | 'key' }) => void): void {
  switch (e.kind) {
    case 'signal':
    case 'key':
      visit(e);
      return;
    case 'num':
      return;
    case 'neg':
      collect(e.arg, visit);
      return;
    case 'binary':
      collect(e.left, visit);
      collect(e.right, visit);
      return;
    case 'call':
      for (const a of e.args) collect(a, visit);
  }
}

function compute(e: Expr, values: ReadonlyMap<Expr, number>): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'signal':
    case 'key':
      return values.get(e)!;
    case 'neg':
      return -compute(e.arg, values);
    case 'binary':
      return binary(e.op, compute(e.left, values), compute(e.right, values), e.pos);
    case 'call':
      return call(
        e.fn,
        e.args.map((a) => compute(a, values)),
      );
  }
}

function binary(op: BinaryOp, a: number, b: number, pos: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new DivisionByZero(pos);
      return a / b;
  }
}

function call(fn: FunctionName, args: number[]): number {
  switch (fn) {
    case 'sum':
      return args.reduce((s, x) => s + x, 0);
    case 'abs':
      return Math.abs(args[0]!);
    case 'min':
      return Math.min(...args);
    case 'max':
      return Math.max(...args);
  }
}

/** Maps a realtime row of an input to an Evaluated, treating old or non-numeric values as unusable. */
export function inputFromRealtime(
  row: { v: number | string | null; t: number; s: SampleStatus } | undefined,
  name: string,
  now: number,
  maxAgeMs: number,
): Evaluated {
  if (!row) return bad(0, `${name} has no value yet`);
  if (row.s === 0) return bad(0, `${name} is stale`);
  if (now - row.t > maxAgeMs) return bad(0, `${name} is ${Math.round((now - row.t) / 1000)} s old`);
  if (row.s === 2) return bad(2, `${name} is out of range`);
  if (typeof row.v !== 'number' || !Number.isFinite(row.v)) return bad(2, `${name} is not a number`);
  return { status: 1, value: row.v };
}
