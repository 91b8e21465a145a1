import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, ROOT, startServe, USER, type Served } from './serve.js';

export const SHOTS = join(ROOT, 'test', 'output', 'ui');

/** One `serve --demo` per worker (the config runs one worker): starting the demo plant is the slow part. */
/** A worker-scoped `serve --demo` fixture: a spec that needs the plant as it ships declares its own. */
export const demoServer: [
  (args: object, use: (s: Served) => Promise<void>) => Promise<void>,
  { scope: 'worker'; timeout: number },
] = [
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form for fixtures.
  async ({}, use: (s: Served) => Promise<void>) => {
    const s = await startServe();
    await use(s);
    await s.close();
  },
  { scope: 'worker', timeout: 120_000 },
];

export const test = base.extend<{ app: Page }, { server: Served }>({
  server: demoServer,
  /** A page signed in to the browser UI, on the Devices page with the demo meters loaded. */
  app: async ({ page, server }, use) => {
    await signIn(page, server.url);
    await use(page);
  },
});

export { expect };

export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User name').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('connection')).toContainText('Engine connected', { timeout: 30_000 });
  await expect(page.getByTestId('tree-device').first()).toBeVisible({ timeout: 30_000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
