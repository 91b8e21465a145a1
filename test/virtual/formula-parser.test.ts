import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError, parseFormula, show } from '../../src-main/virtual/formula-parser.js';

const parsed = (src: string): string => show(parseFormula(src));

function syntaxError(src: string): FormulaSyntaxError {
  try {
    parseFormula(src);
  } catch (err) {
    if (err instanceof FormulaSyntaxError) return err;
    throw err;
  }
  throw new Error(`"${src}" parsed without error`);
}

describe('formula parser', () => {
  it('binds * and / tighter than + and -, and both left to right', () => {
    expect(parsed('s1 + s2 * s3')).toBe('(s1 + (s2 * s3))');
    expect(parsed('s1 - s2 - s3')).toBe('((s1 - s2) - s3)');
    expect(parsed('s1 / s2 / 2')).toBe('((s1 / s2) / 2)');
    expect(parsed('(s1 + s2) * s3')).toBe('((s1 + s2) * s3)');
    expect(parsed('s1 * s2 + s3 / s4 - s5')).toBe('(((s1 * s2) + (s3 / s4)) - s5)');
  });

  it('reads unary minus, numbers, both uid forms, sibling keys and functions', () => {
    expect(parsed('-s1 + +2')).toBe('((-s1) + 2)');
    expect(parsed('--s1')).toBe('(-(-s1))');
    expect(parsed('1.5e3 * .25 + 2.')).toBe('((1500 * 0.25) + 2)');
    expect(parsed('{12} - { 40 }')).toBe('(s12 - s40)');
    expect(parsed('S7')).toBe('s7');
    expect(parsed('energy_import - s3')).toBe('(energy_import - s3)');
    expect(parsed('SUM(s1, s2, abs(s3 - s4)) / max(s5, 1)')).toBe(
      '(sum(s1, s2, abs((s3 - s4))) / max(s5, 1))',
    );
    expect(parsed('  min( s1 ,s2 )  ')).toBe('min(s1, s2)');
  });

  it('reports what is wrong and where (0-based pos, 1-based column in the message)', () => {
    const cases: [string, number, RegExp][] = [
      ['', 0, /empty/],
      ['   ', 3, /empty/],
      ['s1 +', 4, /ends where a number/],
      ['s1 + * s2', 5, /expected a number, a signal, a function or "\(", found "\*"/],
      ['(s1 + s2', 8, /expected "\)" to close the "\(" at column 1/],
      ['s1 s2', 3, /expected an operator .* found "s2"/],
      ['s1 + 3x', 6, /expected an operator .* found "x"/],
      ['s1 # s2', 3, /unexpected character "#"/],
      ['avg(s1, s2)', 0, /unknown function "avg"/],
      ['sum()', 4, /at least one argument/],
      ['abs(s1, s2)', 0, /exactly one argument, got 2/],
      ['sum(s1, s2', 10, /expected "\)" to close sum\( at column 1/],
      ['s1 + {abc}', 5, /signal uid like \{123\}/],
      ['s0 + 1', 0, /s0 is not a valid signal uid/],
      ['1e999', 0, /too large/],
      ['s1 )', 3, /found "\)"/],
    ];
    for (const [src, pos, reason] of cases) {
      const e = syntaxError(src);
      expect(e.pos, src).toBe(pos);
      expect(e.reason, src).toMatch(reason);
      expect(e.message, src).toContain(`at column ${pos + 1}`);
    }
  });

  it('refuses absurd nesting and length with an error instead of exhausting the stack', () => {
    expect(syntaxError(`${'('.repeat(500)}s1${')'.repeat(500)}`).reason).toMatch(/nested deeper/);
    expect(syntaxError(`${'-'.repeat(500)}s1`).reason).toMatch(/nested deeper/);
    expect(syntaxError(`${'s1+'.repeat(700)}s1`).reason).toMatch(/longer than 2000/);
    expect(parsed(`${'('.repeat(30)}s1${')'.repeat(30)}`)).toBe('s1');
  });
});
