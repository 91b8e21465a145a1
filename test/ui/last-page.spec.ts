import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { PASSWORD, USER } from './serve.js';

const currentPage = (page: Page) => page.locator('nav a[aria-current="page"]');

async function signInOnly(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('connection')).toContainText('Engine connected', { timeout: 30_000 });
}

test('the UI opens on the last page: after a reload, at the bare address and in a new session', async ({
  app,
  browser,
  server,
}) => {
  // A first visit opens on Devices.
  await expect(currentPage(app)).toHaveAttribute('href', '#/devices');
  await app.locator('nav a[href="#/history"]').click();
  await expect(currentPage(app)).toHaveAttribute('href', '#/history');

  await app.reload();
  await expect(currentPage(app)).toHaveAttribute('href', '#/history', { timeout: 30_000 });

  // The bare address (as the desktop window opens, without #/page): the remembered page.
  await app.goto(server.url);
  expect(new URL(app.url()).hash).toBe('');
  await expect(currentPage(app)).toHaveAttribute('href', '#/history', { timeout: 30_000 });

  // An address naming a page wins over the remembered one, and becomes the remembered one.
  await app.goto(`${server.url}#/monitor`);
  await expect(currentPage(app)).toHaveAttribute('href', '#/monitor', { timeout: 30_000 });

  // A new browser session with this browser's stored data (a restart): signs in again, opens there.
  const context = await browser.newContext({
    storageState: await app.context().storageState(),
    locale: 'en-US',
    colorScheme: 'light',
  });
  try {
    const again = await context.newPage();
    await signInOnly(again, server.url);
    await expect(currentPage(again)).toHaveAttribute('href', '#/monitor');
    // A browser that never visited (no stored data) starts on Devices.
    const fresh = await browser.newContext({ locale: 'en-US', colorScheme: 'light' });
    try {
      const p = await fresh.newPage();
      await signInOnly(p, server.url);
      await expect(currentPage(p)).toHaveAttribute('href', '#/devices');
    } finally {
      await fresh.close();
    }
  } finally {
    await context.close();
  }
});
