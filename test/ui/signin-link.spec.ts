import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliInTerminal, type InTerminal } from '../helpers/terminal.js';
import { shot } from './fixtures.js';

let dir: string;
let serve: InTerminal;
let link: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ems-ui-link-'));
  // As a technician starts it: in a terminal, no account made yet.
  serve = cliInTerminal(['serve', '--demo', '--port', '0', '--db', join(dir, 'ems.db')], {
    stderrFile: join(dir, 'serve.log'),
  });
  link = (await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+\/#signin=[A-Za-z0-9_-]{43}/))[0];
});

test.afterAll(async () => {
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the printed link opens the UI signed in as the local admin, once', async ({ page, browser }) => {
  await page.goto(link);
  await expect(page.getByTestId('connection')).toContainText('Engine connected', { timeout: 30_000 });
  await expect(page.getByTestId('tree-device').first()).toBeVisible({ timeout: 30_000 });
  // The token left the address bar at once.
  expect(page.url()).not.toContain('signin');
  // Admin rights without an account: it can make the first account (admin only) in Settings.
  await page.locator('nav a[href="#/settings"]').click();
  await page.getByLabel('New user name').fill('tech');
  await page.getByLabel('New user password').fill('commission-2024');
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('cell', { name: 'tech', exact: true })).toBeVisible();
  await shot(page, 'signin-link');

  // A reload keeps the session (sessionStorage), as after a password sign-in.
  await page.reload();
  await expect(page.getByTestId('connection')).toContainText('Engine connected', { timeout: 30_000 });

  // The same link a second time, in a fresh browser: refused, with the reason and the way on.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(link);
  await expect(second.getByRole('alert')).toContainText('This sign-in link was used already');
  await expect(second.getByLabel('User name')).toBeVisible();
  expect(second.url()).not.toContain('signin');
  await other.close();

  expect(readFileSync(join(dir, 'serve.log'), 'utf8')).not.toContain(link.split('#signin=')[1]!);
});
