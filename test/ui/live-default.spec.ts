import { expect, shot, test } from './fixtures.js';

test("Live opens with each meter's total active power already plotted", async ({ app }) => {
  await app.locator('nav a[href="#/live"]').click();
  const powers = app.locator('[data-testid="pick-signal"][data-key="active_power"]');
  // The demo plant's electricity meters: two Modbus TCP, one RS485, one P1.
  await expect.poll(() => powers.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const n = await powers.count();
  for (const p of await powers.all()) await expect(p.getByRole('checkbox')).toBeChecked();
  // Nothing else is picked, and the heat meter (no electrical power) is not in the chart.
  await expect(app.locator('[data-testid="pick-signal"] input:checked')).toHaveCount(n);
  const rows = app.getByTestId('live-table').locator('tbody tr');
  await expect(rows).toHaveCount(n);
  for (const r of await rows.all()) await expect(r).toContainText('Active power, total');
  await expect(app.getByTestId('live-chart').locator('.u-legend')).toContainText('Active power, total');
  await expect
    .poll(async () => Number(await app.getByTestId('live-stats').getAttribute('data-points')), {
      timeout: 30_000,
    })
    .toBeGreaterThan(n);
  await shot(app, 'live-default');
});
