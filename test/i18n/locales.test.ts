import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOCALES = resolve(import.meta.dirname, '../../src-renderer/src/i18n/locales');
const LANGUAGES = ['en', 'de', 'it', 'fr', 'es'] as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Tree = { [k: string]: string | Tree };

/** Every leaf of a locale file as `section.path.key` → text. */
function flatten(tree: Tree, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}.${k}`;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

function load(lng: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(join(LOCALES, lng)).filter((f) => f.endsWith('.json'))) {
    const tree = JSON.parse(readFileSync(join(LOCALES, lng, file), 'utf8')) as Tree;
    flatten(tree, file.replace(/\.json$/, ''), out);
  }
  return out;
}

const vars = (s: string): string[] => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1] ?? '').sort();

/**
 * What each language must define: every English key, with plural keys in the language's own plural
 * categories (French, Italian and Spanish have a `many` form for large round numbers, German does not).
 */
function expectedKeys(en: Map<string, string>, lng: string): Set<string> {
  const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
  const out = new Set<string>();
  for (const key of en.keys()) {
    if (!PLURAL.test(key)) out.add(key);
    else for (const c of categories) out.add(key.replace(PLURAL, `_${c}`));
  }
  return out;
}

describe('locale files', () => {
  const en = load('en');

  it('English has texts at all', () => {
    expect(en.size).toBeGreaterThan(300);
  });

  for (const lng of LANGUAGES) {
    describe(lng, () => {
      const texts = load(lng);
      const expected = expectedKeys(en, lng);

      it('has the same section files as English', () => {
        const files = (l: string): string[] => readdirSync(join(LOCALES, l)).sort();
        expect(files(lng)).toEqual(files('en'));
      });

      it('has every key, and no key English does not have', () => {
        const missing = [...expected].filter((k) => !texts.has(k));
        const extra = [...texts.keys()].filter((k) => !expected.has(k));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      it('has no empty text', () => {
        expect([...texts].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
      });

      it('uses the same placeholders as English in each text', () => {
        const wrong: string[] = [];
        for (const [k, v] of texts) {
          const base = en.get(k) ?? en.get(k.replace(PLURAL, '_other'));
          if (base === undefined) continue;
          // A singular may spell out "one" instead of using {{count}}.
          const want = vars(base).filter((x) => !(x === 'count' && /_(one|zero)$/.test(k)));
          const have = vars(v).filter((x) => !(x === 'count' && /_(one|zero)$/.test(k)));
          if (want.join() !== have.join()) wrong.push(`${k}: ${have.join()} vs ${want.join()}`);
        }
        expect(wrong).toEqual([]);
      });
    });
  }

  it('finds a missing key (the check itself works)', () => {
    const en2 = new Map([
      ['a.b', 'x'],
      ['a.c_one', '{{count}} y'],
      ['a.c_other', '{{count}} ys'],
    ]);
    const fr = expectedKeys(en2, 'fr');
    expect([...fr].sort()).toEqual(['a.b', 'a.c_many', 'a.c_one', 'a.c_other']);
    expect([...expectedKeys(en2, 'de')].sort()).toEqual(['a.b', 'a.c_one', 'a.c_other']);
  });
});
