import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';
import { PASSWORD, USER } from './serve.js';
import { signInAnyLanguage, text } from './ui-helpers.js';

/** Each page with the locale key of its heading. */
const PAGES = [
  ['devices', 'devices.title'],
  ['live', 'live.title'],
  ['history', 'history.title'],
  ['discovery', 'discovery.title'],
  ['monitor', 'common.nav.monitor'],
  ['mapping', 'common.nav.mapping'],
  ['site', 'site.title'],
  ['settings', 'common.nav.settings'],
  ['about', 'about.title'],
] as const;

/** The operating system's language as the browser reports it. */
const LOCALES = { en: 'en-US', de: 'de-DE', it: 'it-IT', fr: 'fr-FR', es: 'es-ES' } as const;

/** A locale key shown as text: what i18next renders for a key no language has. */
const RAW_KEY =
  /\b(common|devices|live|history|discovery|monitor|mapping|settings|site|about|login)\.[a-z]\w*(\.\w+)*/;

/** Opens the parts of a page that only render on demand, so their texts are checked too. */
async function openDetails(page: Page, id: string): Promise<void> {
  if (id === 'devices') {
    await page.getByTestId('tree-device').first().locator('.tree-row').first().click();
    await expect(page.getByTestId('device-detail')).toBeVisible();
  }
  if (id === 'discovery')
    for (const b of await page.locator('.segmented[role="group"] button').all()) await b.click();
  if (id === 'about') await expect(page.getByTestId('licenses')).toBeVisible();
}

for (const [lng, locale] of Object.entries(LOCALES)) {
  test(`${lng}: the UI starts in the operating system's language and no page lacks a text`, async ({
    browser,
    server,
  }) => {
    const context = await browser.newContext({ locale, colorScheme: 'light' });
    const page = await context.newPage();
    const missing: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && m.text().startsWith('i18n:')) missing.push(m.text());
    });
    try {
      await signInAnyLanguage(page, server.url, USER, PASSWORD);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lng);
      for (const [id, title] of PAGES) {
        await page.locator(`nav a[href="#/${id}"]`).click();
        await expect(page.locator('.page-header h1').first()).toHaveText(text(lng, title));
        await openDetails(page, id);
        expect(await page.locator('body').innerText()).not.toMatch(RAW_KEY);
        if (lng === 'de') await shot(page, `de-${id}`);
      }
      // Numbers in the language's notation: a decimal comma everywhere but in English.
      await page.locator('nav a[href="#/live"]').click();
      const value = page.getByTestId('live-table').locator('td.num.strong').first();
      await expect(value).toHaveText(lng === 'en' ? /^-?\d+\.\d+$/ : /^-?\d+,\d+$/, { timeout: 30_000 });
      expect(missing).toEqual([]);
    } finally {
      await context.close();
    }
  });
}

test('the language switch in Settings changes the UI at once and is remembered', async ({ app }) => {
  await app.locator('nav a[href="#/settings"]').click();
  await app.getByTestId('language').selectOption('de');
  await expect(app.locator('nav a[href="#/devices"]')).toHaveText(text('de', 'common.nav.devices'));
  await expect(app.locator('.page-header h1')).toHaveText(text('de', 'common.nav.settings'));
  await app.reload();
  await expect(app.locator('nav a[href="#/devices"]')).toHaveText(text('de', 'common.nav.devices'), {
    timeout: 30_000,
  });
  await app.getByTestId('language').selectOption('fr');
  await expect(app.locator('nav a[href="#/devices"]')).toHaveText(text('fr', 'common.nav.devices'));
  // Back to the operating system's language (English in this browser).
  await app.getByTestId('language').selectOption('system');
  await expect(app.locator('nav a[href="#/devices"]')).toHaveText(text('en', 'common.nav.devices'));
  expect(await app.evaluate(() => localStorage.getItem('ems.language'))).toBeNull();
});
