import { expect, shot, test } from './fixtures.js';
import { freePort, startCli, stop } from './serve.js';

test('a TCP scan finds a simulated meter and Add puts it into the configuration', async ({ app }) => {
  const port = await freePort();
  const sim = await startCli(
    ['simulate', 'tcp', '--port', String(port), '--model', 'eastron-sdm630', '--unit', '7'],
    /simulating/,
  );
  try {
    await app.getByRole('link', { name: 'Discovery' }).click();
    await app.getByRole('button', { name: 'Modbus TCP' }).click();
    await app.getByLabel('Hosts').fill('127.0.0.1');
    await app.getByLabel('TCP port').fill(String(port));
    await app.getByLabel('Unit ids from').fill('5');
    await app.getByLabel('Unit ids to').fill('9');
    await app.getByRole('button', { name: 'Start scan' }).click();
    await expect(app.getByTestId('scan-progress')).toBeVisible();
    await expect(app.getByText(/Scan finished .*1 device found/)).toBeVisible({ timeout: 60_000 });
    const row = app.getByTestId('found').locator('tbody tr[data-unit="7"]');
    await expect(row).toContainText('SDM630');
    await expect(row).toContainText(`127.0.0.1:${port}`);
    await expect(row).toContainText(/Voltage L1-N \d+/);
    await shot(app, 'discovery');
    await row.getByRole('button', { name: 'Add' }).click();
    await expect(row).toContainText('Added as');
    await app.getByRole('link', { name: 'Devices' }).click();
    const added = app.getByTestId('tree-device').filter({ hasText: 'SDM630' }).filter({ hasNotText: 'demo' });
    await expect(added).toBeVisible();
    await expect(added.locator('.dot-ok')).toBeVisible({ timeout: 30_000 });
  } finally {
    await stop(sim.proc);
  }
});
