import { expect, shot, test } from './fixtures.js';

test('a signal deadband is set, shown, refused when out of range, kept and switched off', async ({ app }) => {
  const main = app.getByTestId('tree-device').filter({ hasText: 'Main meter (demo)' });
  await main.getByRole('button', { name: 'Show signals' }).click();
  await main.locator('[data-testid="tree-signal"][data-key="voltage_l1"]').click();
  const state = app.getByTestId('deadband-state');
  await expect(state).toHaveText('Off: every sample read is stored.');

  await app.getByLabel('Minimum change (V)').fill('0.5');
  await app.getByLabel('Store at least every (s)').fill('600');
  await app.getByRole('button', { name: 'Apply deadband' }).click();
  await expect(state).toHaveText('Stored when the value moves more than 0.5 V, and at least every 600 s.');
  await shot(app, 'deadband');

  // The engine checks the range; the form says why it was refused and the setting stays as it was.
  await app.getByLabel('Store at least every (s)').fill('0');
  await app.getByRole('button', { name: 'Apply deadband' }).click();
  await expect(app.getByRole('alert')).toBeVisible();
  await expect(state).toContainText('at least every 600 s');

  // Kept by the engine: a fresh page shows it again.
  await app.reload();
  await expect(app.getByTestId('connection')).toContainText('Engine connected', { timeout: 30_000 });
  const again = app.getByTestId('tree-device').filter({ hasText: 'Main meter (demo)' });
  await again.getByRole('button', { name: 'Show signals' }).click();
  await again.locator('[data-testid="tree-signal"][data-key="voltage_l1"]').click();
  await expect(state).toContainText('more than 0.5 V');

  await app.getByRole('button', { name: 'Store every sample' }).click();
  await expect(state).toHaveText('Off: every sample read is stored.');
});
