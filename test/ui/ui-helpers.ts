import { expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './serve.js';

export const LOCALES = join(ROOT, 'src-renderer', 'src', 'i18n', 'locales');

type Tree = { [k: string]: string | Tree };

/** One text of a locale file by its key (`common.nav.devices`), for tests that read the UI in a language. */
export function text(lng: string, key: string): string {
  const [section, ...path] = key.split('.');
  let node: string | Tree = JSON.parse(readFileSync(join(LOCALES, lng, `${section}.json`), 'utf8')) as Tree;
  for (const k of path) {
    if (typeof node === 'string' || !(k in node)) throw new Error(`no ${key} in ${lng}`);
    node = node[k] as string | Tree;
  }
  if (typeof node !== 'string') throw new Error(`${key} in ${lng} is not a text`);
  return node;
}

/** The sections the locale files have (one per page or shared part). */
export const SECTIONS = readdirSync(join(LOCALES, 'en')).map((f) => f.replace(/\.json$/, ''));

/** Signs in through the login form in whatever language it shows (fields found by name, not label). */
export async function signInAnyLanguage(
  page: Page,
  url: string,
  user: string,
  password: string,
): Promise<void> {
  await page.goto(url);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId('tree-device').first()).toBeVisible({ timeout: 30_000 });
}
