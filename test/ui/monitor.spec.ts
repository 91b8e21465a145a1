import { expect, shot, test } from './fixtures.js';

test('the bus monitor shows live frames with their function, and statistics per device', async ({ app }) => {
  await app.getByRole('link', { name: 'Bus monitor' }).click();
  const frames = app.getByTestId('frames');
  await expect(frames.locator('tbody tr').first()).toBeVisible({ timeout: 30_000 });
  await expect(frames).toContainText('TX →');
  await expect(frames).toContainText('← RX');
  await expect(frames).toContainText(/Read (holding|input) registers 0x[0-9A-F]{4} ×\d+/);
  await expect(frames.locator('.badge-ok').first()).toBeVisible();
  const stats = app.getByTestId('monitor-stats');
  await expect(stats).toContainText('Main meter (demo)', { timeout: 10_000 });

  // Filter by device: only that device's frames remain.
  await app.getByLabel('Filter by device').selectOption({ label: 'Main meter (demo)' });
  await expect(frames.locator('tbody tr').first()).toContainText('Main meter (demo)');
  const devices = await frames.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(devices.every((d) => d.includes('Main meter (demo)'))).toBe(true);
  await app.getByLabel('Filter by device').selectOption('all');

  // Pause: the table stops moving (once a batch already on its way has landed).
  await app.getByRole('button', { name: 'Pause' }).click();
  await expect(app.getByRole('button', { name: 'Resume' })).toBeVisible();
  const top = (): Promise<string | null> => frames.locator('tbody tr').first().textContent();
  let first = await top();
  await expect
    .poll(
      async () => {
        const now = await top();
        const still = now === first;
        first = now;
        return still;
      },
      { intervals: [600] },
    )
    .toBe(true);
  await app.waitForTimeout(1500); // nothing may happen in this time: there is no condition to wait for
  expect(await top()).toBe(first);
  await expect(app.getByText(/Paused\. \d+ frames arrived/)).toBeVisible();
  await app.getByRole('button', { name: 'Resume' }).click();
  await shot(app, 'monitor');
});
