import { expect, shot, signIn, test } from './fixtures.js';

test('a wrong password is refused with a message, the right one opens the app', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  await shot(page, 'login');
  await page.getByLabel('User name').fill('tech');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong user name or password');
  await signIn(page, server.url);
});

test('the tree shows the demo meters with their state and live values', async ({ app }) => {
  const devices = app.getByTestId('tree-device');
  await expect(devices.filter({ hasText: 'Main meter (demo)' })).toBeVisible();
  await expect(devices.filter({ hasText: 'Heat pump (demo)' })).toBeVisible();
  await expect(devices.filter({ hasText: 'PV inverter (demo' })).toBeVisible();
  // Open the main meter's load: its signals show values as they are polled.
  const main = devices.filter({ hasText: 'Main meter (demo)' });
  await main.getByRole('button', { name: 'Show signals' }).click();
  const voltage = main.locator('[data-testid="tree-signal"][data-key="voltage_l1"]');
  await expect(voltage).toContainText(/\d{3}\.\d+\s*V/, { timeout: 20_000 });
  await expect(main.locator('.dot-ok').first()).toBeVisible();
  await main.locator('.tree-device').click();
  await expect(app.getByTestId('device-detail')).toContainText('Modbus TCP');
  await expect(app.getByTestId('device-detail')).toContainText('online', { timeout: 20_000 });
  await shot(app, 'devices');
});

test('a device can be renamed, disabled and enabled again from the tree', async ({ app }) => {
  await app
    .getByTestId('tree-device')
    .filter({ hasText: 'Heat pump (demo)' })
    .locator('.tree-device')
    .click();
  const detail = app.getByTestId('device-detail');
  await detail.getByRole('button', { name: 'Rename' }).click();
  await detail.getByLabel('Device name').fill('Heat pump east');
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('tree-device').filter({ hasText: 'Heat pump east' })).toBeVisible();
  await detail.getByRole('button', { name: 'Disable polling' }).click();
  await expect(detail.locator('.badge')).toHaveText('disabled');
  await detail.getByRole('button', { name: 'Enable polling' }).click();
  await expect(detail.locator('.badge')).toHaveText('online', { timeout: 20_000 });
});
