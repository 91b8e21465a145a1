import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';
import { PASSWORD, USER } from './serve.js';
import { signInAnyLanguage } from './ui-helpers.js';

/** Relative luminance (0 black … 1 white) of the page's background. */
async function backgroundLuminance(page: Page): Promise<number> {
  const rgb = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => Number(x) / 255);
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

const theme = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => document.documentElement.dataset.theme);

test('the theme follows the operating system, and the switch in Settings overrides it', async ({
  browser,
  server,
}) => {
  const context = await browser.newContext({ colorScheme: 'dark', locale: 'en-US' });
  const page = await context.newPage();
  try {
    await signInAnyLanguage(page, server.url, USER, PASSWORD);
    expect(await theme(page)).toBe('dark');
    expect(await backgroundLuminance(page)).toBeLessThan(0.1);
    await page.getByTestId('tree-device').first().locator('.tree-row').first().click();
    await shot(page, 'dark-devices');
    await page.locator('nav a[href="#/live"]').click();
    await expect(page.getByTestId('live-chart').locator('canvas')).toBeVisible();
    await shot(page, 'dark-live');

    // The operating system switches to light: the app follows at once.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');

    // Picked in Settings, light stays light on a dark system, across a reload.
    await page.locator('nav a[href="#/settings"]').click();
    await page.getByTestId('theme').selectOption('light');
    await expect.poll(() => theme(page)).toBe('light');
    await page.reload();
    await expect(page.getByTestId('theme')).toHaveValue('light', { timeout: 30_000 });
    expect(await theme(page)).toBe('light');
    await page.getByTestId('theme').selectOption('system');
    await expect.poll(() => theme(page)).toBe('dark');
  } finally {
    await context.close();
  }
});
