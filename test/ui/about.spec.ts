import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { ROOT } from './serve.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('About: the version, and the licence of every bundled library (read at build time)', async ({ app }) => {
  await app.locator('nav a[href="#/about"]').click();
  await expect(app.getByTestId('about-version')).toHaveText(VERSION);
  const table = app.getByTestId('licenses');
  await expect(table).toBeVisible({ timeout: 30_000 });
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(50);

  // The filter (and `/`) finds a library; its row names version and licence.
  await app.locator('body').press('/');
  await app.keyboard.type('react-dom');
  const row = table.locator('tbody tr', { has: app.locator('summary', { hasText: /^react-dom$/ }) });
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').nth(2)).toHaveText('MIT');
  // The licence text joins the page when the row is opened.
  await expect(row.locator('pre')).toHaveCount(0);
  await row.locator('summary').click();
  await expect(row.locator('pre')).toContainText('Permission is hereby granted');
});
