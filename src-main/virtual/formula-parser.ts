/**
 * The formula language of virtual signals — a small recursive-descent parser, no dependencies.
 *
 *   formula := expr
 *   expr    := term (("+" | "-") term)*
 *   term    := unary (("*" | "/") unary)*
 *   unary   := ("-" | "+") unary | primary
 *   primary := number | "s" digits | "{" digits "}" | key | func "(" expr ("," expr)* ")" | "(" expr ")"
 *   func    := sum | abs | min | max          (case-insensitive)
 *   key     := a catalogue key of another signal of the same virtual load, e.g. energy_import
 *
 * `s123` and `{123}` both name the signal with uid 123. Whitespace is free.
 */

export type BinaryOp = '+' | '-' | '*' | '/';
export const FUNCTIONS = ['sum', 'abs', 'min', 'max'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** `pos` is the 0-based offset of the node's first character in the formula text. */
export type Expr =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'signal'; uid: number; pos: number }
  | { kind: 'key'; key: string; pos: number }
  | { kind: 'neg'; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'call'; fn: FunctionName; args: Expr[]; pos: number };

/** A formula that does not follow the grammar; `pos` is the 0-based offset of the offending spot. */
export class FormulaSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly formula: string,
    readonly pos: number,
  ) {
    super(`${reason} at column ${pos + 1}`);
    this.name = 'FormulaSyntaxError';
  }
}

export const MAX_FORMULA_LENGTH = 2000;
/** Deep enough for any real formula, shallow enough that "((((…" can never exhaust the stack. */
const MAX_DEPTH = 64;

type OpChar = BinaryOp | '(' | ')' | ',';
const OP_CHARS: readonly string[] = ['+', '-', '*', '/', '(', ')', ','];
const isOpChar = (c: string): c is OpChar => OP_CHARS.includes(c);

type Token =
  | { t: 'num'; value: number; pos: number; text: string }
  | { t: 'ident'; name: string; pos: number }
  | { t: 'uid'; uid: number; pos: number; text: string }
  | { t: 'op'; op: OpChar; pos: number }
  | { t: 'end'; pos: number };

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const BRACED_UID = /^\{\s*(\d+)\s*\}/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: 'num', value: Number(num[0]), pos: i, text: num[0] });
      i += num[0].length;
      continue;
    }
    const braced = BRACED_UID.exec(rest);
    if (braced) {
      out.push({ t: 'uid', uid: Number(braced[1]), pos: i, text: braced[0] });
      i += braced[0].length;
      continue;
    }
    if (c === '{') throw new FormulaSyntaxError('expected a signal uid like {123}', src, i);
    const id = IDENT.exec(rest);
    if (id) {
      const sig = /^[sS](\d+)$/.exec(id[0]);
      if (sig) out.push({ t: 'uid', uid: Number(sig[1]), pos: i, text: id[0] });
      else out.push({ t: 'ident', name: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (isOpChar(c)) {
      out.push({ t: 'op', op: c, pos: i });
      i++;
      continue;
    }
    throw new FormulaSyntaxError(`unexpected character "${c}"`, src, i);
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

const describeToken = (tok: Token): string =>
  tok.t === 'end'
    ? 'the end of the formula'
    : tok.t === 'op'
      ? `"${tok.op}"`
      : tok.t === 'ident'
        ? `"${tok.name}"`
        : `"${tok.text}"`;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private fail(reason: string, tok: Token = this.peek()): never {
    throw new FormulaSyntaxError(reason, this.src, tok.pos);
  }
  private isOp(op: string): boolean {
    const tok = this.peek();
    return tok.t === 'op' && tok.op === op;
  }
  private expectOp(op: ')' | '(', context: string): void {
    if (!this.isOp(op)) this.fail(`expected "${op}" ${context}, found ${describeToken(this.peek())}`);
    this.i++;
  }

  parseFormula(): Expr {
    if (this.peek().t === 'end') this.fail('the formula is empty');
    const e = this.expr();
    const tok = this.peek();
    if (tok.t !== 'end') this.fail(`expected an operator (+ - * /), found ${describeToken(tok)}`);
    return e;
  }

  private expr(): Expr {
    if (++this.depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const tok = this.next() as Token & { t: 'op' };
      left = { kind: 'binary', op: tok.op as BinaryOp, left, right: this.term(), pos: tok.pos };
    }
    this.depth--;
    return left;
  }

  private term(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const tok = this.next() as Token & { t: 'op' };
      left = { kind: 'binary', op: tok.op as BinaryOp, left, right: this.unary(), pos: tok.pos };
    }
    return left;
  }

  private unary(): Expr {
    const tok = this.peek();
    if (tok.t === 'op' && (tok.op === '-' || tok.op === '+')) {
      if (++this.depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
      this.i++;
      const arg = this.unary();
      this.depth--;
      return tok.op === '-' ? { kind: 'neg', arg, pos: tok.pos } : arg;
    }
    return this.primary();
  }

  private primary(): Expr {
    const tok = this.next();
    switch (tok.t) {
      case 'num':
        if (!Number.isFinite(tok.value)) this.fail(`number ${tok.text} is too large`, tok);
        return { kind: 'num', value: tok.value, pos: tok.pos };
      case 'uid':
        if (!Number.isSafeInteger(tok.uid) || tok.uid < 1)
          this.fail(`${tok.text} is not a valid signal uid`, tok);
        return { kind: 'signal', uid: tok.uid, pos: tok.pos };
      case 'ident':
        return this.isOp('(') ? this.call(tok) : { kind: 'key', key: tok.name, pos: tok.pos };
      case 'op':
        if (tok.op === '(') {
          const e = this.expr();
          this.expectOp(')', `to close the "(" at column ${tok.pos + 1}`);
          return e;
        }
        return this.fail(`expected a number, a signal, a function or "(", found ${describeToken(tok)}`, tok);
      case 'end':
        return this.fail('the formula ends where a number, a signal or "(" was expected', tok);
    }
  }

  private call(name: Token & { t: 'ident' }): Expr {
    const fn = name.name.toLowerCase();
    if (!(FUNCTIONS as readonly string[]).includes(fn))
      this.fail(`unknown function "${name.name}" (known: ${FUNCTIONS.join(', ')})`, name);
    this.expectOp('(', `after ${fn}`);
    const args: Expr[] = [];
    if (this.isOp(')')) this.fail(`${fn}() needs at least one argument`);
    for (;;) {
      args.push(this.expr());
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expectOp(')', `to close ${fn}( at column ${name.pos + 1}`);
    if (fn === 'abs' && args.length !== 1)
      this.fail(`abs() takes exactly one argument, got ${args.length}`, name);
    return { kind: 'call', fn: fn as FunctionName, args, pos: name.pos };
  }
}

/** Parses one formula; throws FormulaSyntaxError with the position of the first problem. */
export function parseFormula(src: string): Expr {
  if (src.length > MAX_FORMULA_LENGTH)
    throw new FormulaSyntaxError(
      `the formula is longer than ${MAX_FORMULA_LENGTH} characters`,
      src,
      MAX_FORMULA_LENGTH,
    );
  return new Parser(src, tokenize(src)).parseFormula();
}

/** Every node of a formula, depth first (for collecting references). */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  switch (e.kind) {
    case 'neg':
      yield* walk(e.arg);
      break;
    case 'binary':
      yield* walk(e.left);
      yield* walk(e.right);
      break;
    case 'call':
      for (const a of e.args) yield* walk(a);
      break;
    default:
      break;
  }
}

/** A canonical, fully parenthesised rendering (tests and error messages show what was understood). */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'signal':
      return `s${e.uid}`;
    case 'key':
      return e.key;
    case 'neg':
      return `(-${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(show).join(', ')})`;
  }
}
