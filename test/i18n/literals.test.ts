import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER = join(ROOT, 'src-renderer', 'src');

/** Attributes and props whose value a user reads or a screen reader speaks. */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'placeholder',
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'alt',
  'label',
  'hint',
]);
/** Object properties that carry text to the screen (option lists, form problems). */
const VISIBLE_PROPERTIES = new Set(['label', 'title', 'placeholder', 'problem', 'message', 'hint']);
/** Browser dialogs take their text straight to the screen. */
const DIALOGS = new Set(['alert', 'confirm', 'prompt']);

/**
 * Text that is the same in every language and therefore no translation: the product's name and
 * protocol names. (Example values such as a path, and command lines in <code>, pass too.)
 */
const SAME_IN_EVERY_LANGUAGE = new Set(['EMS Commissioner', 'Modbus TCP', 'Modbus RTU', 'M-Bus', 'P1']);

/** Whether a piece of text needs translating: it has a word, and is not a name or an example value. */
function isText(raw: string): boolean {
  const s = raw.replace(/\s+/g, ' ').trim();
  if (!/\p{L}/u.test(s)) return false; // numbers, punctuation, arrows, "—"
  if ([...s].length === 1) return false; // a glyph used as an icon: "×", "i", "?"
  if (SAME_IN_EVERY_LANGUAGE.has(s)) return false;
  if (/^(\/|\d)\S*$/.test(s)) return false; // /dev/ttyUSB0, 192.168.1.10
  if (/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_]+)+$/.test(s)) return false; // a locale key: 'history.preset.hour'
  return true;
}

export interface Finding {
  file: string;
  line: number;
  text: string;
  where: string;
}

/** String literals (and the static parts of template literals) an expression can evaluate to. */
function literalsOf(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isTemplateExpression(e))
    return [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].filter(isText).length
      ? [[e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join('…')]
      : [];
  if (ts.isParenthesizedExpression(e)) return literalsOf(e.expression);
  if (ts.isConditionalExpression(e)) return [...literalsOf(e.whenTrue), ...literalsOf(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalsOf(e.right);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken)
      return [...literalsOf(e.left), ...literalsOf(e.right)];
    if (op === ts.SyntaxKind.PlusToken) return [...literalsOf(e.left), ...literalsOf(e.right)];
  }
  return [];
}

function attributeName(n: ts.JsxAttributeName): string {
  return ts.isIdentifier(n) ? n.text : `${n.namespace.text}:${n.name.text}`;
}

function propertyName(n: ts.PropertyName): string | null {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : null;
}

/** Every text a component would show without going through `t(…)`. */
export function findLiterals(source: string, file = 'inline.tsx'): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Finding[] = [];
  const add = (node: ts.Node, text: string, where: string): void => {
    if (!isText(text)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push({ file, line, text: text.replace(/\s+/g, ' ').trim(), where });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxElement(node) && node.openingElement.tagName.getText(sf) === 'code') return; // a command line
    if (ts.isJsxText(node)) add(node, node.text, 'JSX text');
    else if (ts.isJsxExpression(node) && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)))
      for (const s of literalsOf(node.expression)) add(node, s, 'JSX expression');
    else if (ts.isJsxAttribute(node)) {
      const name = attributeName(node.name);
      if (VISIBLE_ATTRIBUTES.has(name) && node.initializer) {
        const values = ts.isStringLiteral(node.initializer)
          ? [node.initializer.text]
          : ts.isJsxExpression(node.initializer)
            ? literalsOf(node.initializer.expression)
            : [];
        for (const s of values) add(node, s, `${name}=`);
      }
    } else if (ts.isPropertyAssignment(node)) {
      const name = propertyName(node.name);
      if (name && VISIBLE_PROPERTIES.has(name))
        for (const s of literalsOf(node.initializer)) add(node, s, `${name}:`);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee) &&
            ts.isIdentifier(callee.expression) &&
            callee.expression.text === 'window'
          ? callee.name.text
          : null;
      if (name && DIALOGS.has(name)) for (const s of literalsOf(node.arguments[0])) add(node, s, `${name}()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'locales' ? [] : sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

describe('no literal UI text in the renderer', () => {
  it('every text in components goes through t(…)', () => {
    const files = sources(RENDERER);
    expect(files.length).toBeGreaterThan(40);
    const found = files.flatMap((f) => findLiterals(readFileSync(f, 'utf8'), relative(ROOT, f)));
    expect(found.map((x) => `${x.file}:${x.line} ${x.where} "${x.text}"`)).toEqual([]);
  });

  it('catches text, visible attributes, dialogs and option lists, and lets names and glyphs pass', () => {
    const sample = `
      const OPTIONS = [{ value: 'a', label: 'All frames' }];
      export function X({ busy }: { busy: boolean }) {
        if (busy) window.confirm('Send it now?');
        return (
          <div title="Age of the newest value">
            Rename
            {busy ? 'Reading…' : t('x')}
            <input placeholder="/dev/ttyUSB0" aria-label={\`Enable \${name}\`} />
            <b>EMS Commissioner</b> × {'—'} {t('ok')} <span>{n} / {m}</span>
            <i className="hint">i</i>
          </div>
        );
      }`;
    expect(findLiterals(sample).map((f) => `${f.where} ${f.text}`)).toEqual([
      'label: All frames',
      'confirm() Send it now?',
      'title= Age of the newest value',
      'JSX text Rename',
      'JSX expression Reading…',
      'aria-label= Enable …',
    ]);
  });
});
