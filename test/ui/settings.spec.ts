import { expect, shot, test } from './fixtures.js';

test('settings show the database, warn about a non-loopback address and manage accounts', async ({
  app,
  server,
}) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByText(server.db)).toBeVisible();
  await app.getByLabel('Bind address').fill('0.0.0.0');
  await expect(app.getByText('0.0.0.0 is reachable from the network')).toBeVisible();
  await app.getByLabel('Bind address').fill('127.0.0.1');
  await expect(app.getByText('is reachable from the network')).toHaveCount(0);
  await app.getByLabel('New user name').fill('reader');
  await app.getByLabel('New user password').fill('short');
  await expect(app.getByRole('button', { name: 'Add account' })).toBeDisabled();
  await app.getByLabel('New user password').fill('reader-password');
  await app.getByRole('button', { name: 'Add account' }).click();
  await expect(app.getByRole('cell', { name: 'reader', exact: true })).toBeVisible();
  await app.getByLabel('Token label').fill('EMS gateway');
  await app.getByRole('button', { name: 'Create token' }).click();
  await expect(app.getByText(/Token “EMS gateway” created/)).toBeVisible();
  await expect(app.locator('.secret')).toContainText(/^emsc_/);
  await shot(app, 'settings');
});
