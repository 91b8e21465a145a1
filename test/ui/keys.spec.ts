import { expect, test } from './fixtures.js';

test('/ focuses the page filter and Esc closes a confirmation', async ({ app }) => {
  const filter = app.getByRole('searchbox', { name: 'Filter signals' });
  await app.locator('body').press('/');
  await expect(filter).toBeFocused();
  await app.keyboard.type('volt');
  await expect(filter).toHaveValue('volt');

  // On the Live page the same key finds the signal box.
  await app.locator('nav a[href="#/live"]').click();
  await app.locator('body').press('/');
  await expect(app.getByRole('searchbox', { name: 'Find a signal' })).toBeFocused();

  await app.locator('nav a[href="#/devices"]').click();
  await app.getByTestId('tree-device').first().locator('.tree-row').first().click();
  await app.getByRole('button', { name: 'Remove device…' }).click();
  await expect(app.getByRole('button', { name: 'Keep' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('button', { name: 'Keep' })).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Remove device…' })).toBeVisible();
});
