import { expect, shot, test } from './fixtures.js';
import { freePort } from './serve.js';
import { startPymodbus } from '../helpers/peers.js';
import { undescribedUnit } from '../helpers/undescribed-device.js';

test('a map built on site for an undescribed device is saved, added and read', async ({ app }) => {
  test.setTimeout(180_000);
  const port = await freePort();
  const slave = await startPymodbus({ tcp: port }, { 9: undescribedUnit() });
  try {
    await app.getByRole('link', { name: 'Map builder' }).click();
    await app.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await app.getByLabel('TCP port').fill(String(port));
    await app.getByLabel('Unit id').fill('9');
    await app.getByLabel('First register').fill('0');
    await app.getByLabel('Registers', { exact: true }).fill('32');
    await app.getByRole('button', { name: 'Read range' }).click();
    const table = app.getByTestId('probe-table');
    await expect(table.locator('tr[data-register="0"]')).toContainText('voltage 230.1 V (uint16 ×0.1)');
    await expect(table.locator('tr[data-register="8"]')).toContainText('frequency 50.02 Hz (uint16 ×0.01)');
    await expect(table.locator('tr[data-register="12"]')).toContainText('not read');

    // Voltage: the first hint's reading, signal suggested.
    await table.locator('tr[data-register="0"]').getByRole('button', { name: 'Pick' }).click();
    const picks = app.getByTestId('picks');
    const p0 = picks.locator('tr[data-pick="0"]');
    await expect(p0.getByLabel('Signal')).toHaveValue('voltage_l1');
    await expect(p0.getByTestId('live-value')).toHaveText('230.1', { timeout: 15_000 });
    // The energy float (low word first): picked, then set by hand, watched as it changes.
    await table.locator('tr[data-register="10"]').getByRole('button', { name: 'Pick' }).click();
    const p1 = picks.locator('tr[data-pick="1"]');
    await p1.getByLabel('Type').selectOption('float32');
    await p1.getByLabel('Word order').selectOption('msw');
    await expect(p1.getByTestId('live-value')).not.toHaveText('12345.5', { timeout: 15_000 });
    await p1.getByLabel('Word order').selectOption('lsw');
    await p1.getByLabel('Scale').fill('1');
    await p1.getByLabel('Signal').selectOption('energy_import');
    await expect(p1.getByTestId('live-value')).toHaveText('12345.5', { timeout: 15_000 });
    await expect(p1).toContainText('kWh');
    // Export energy with every byte reversed: the probe names it float32 DCBA; saved in that order.
    await expect(table.locator('tr[data-register="22"]')).toContainText('678.25');
    await table.locator('tr[data-register="22"]').getByRole('button', { name: 'Pick' }).click();
    const p2 = picks.locator('tr[data-pick="2"]');
    await p2.getByLabel('Type').selectOption('float32');
    await p2.getByLabel('Word order').selectOption('msw-byteswap');
    await expect(p2.getByTestId('live-value')).not.toHaveText('678.25', { timeout: 15_000 });
    await p2.getByLabel('Word order').selectOption('lsw-byteswap');
    await p2.getByLabel('Scale').fill('1');
    await p2.getByLabel('Signal').selectOption('energy_export');
    await expect(p2.getByTestId('live-value')).toHaveText('678.25', { timeout: 15_000 });

    await app.getByLabel('Model id').fill('site-inverter-x');
    await app.getByLabel('Maker').fill('Unknown GmbH');
    await app.getByLabel('Model name').fill('Inverter X');
    await app.getByLabel('Identified by register').fill('30');
    await app.getByLabel('Model code').fill('4711');
    await app.getByLabel('Registers per request').fill('40');
    const systems = app.getByRole('group', { name: 'Wiring systems' });
    await systems.getByLabel('three phases, no neutral (3P)').check();
    await app.getByRole('button', { name: 'Save map' }).click();
    await expect(app.getByText('Saved as model “site-inverter-x”')).toBeVisible();
    await shot(app, 'map-builder');
    await app.getByRole('button', { name: 'Add device with this map' }).click();
    await expect(app.getByText(/Added as/)).toBeVisible();

    await app.getByRole('link', { name: 'Devices' }).click();
    const dev = app.getByTestId('tree-device').filter({ hasText: 'Inverter X' });
    await expect(dev).toBeVisible();
    await expect(dev.locator('.dot-ok')).toBeVisible({ timeout: 30_000 });
  } finally {
    slave.stop();
  }
});
