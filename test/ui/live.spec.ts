import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures.js';

/** A fingerprint of every canvas pixel of the chart. */
async function canvasHash(page: Page): Promise<string> {
  const data = await page
    .getByTestId('live-chart')
    .locator('canvas')
    .first()
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
  return createHash('sha1').update(data).digest('hex');
}

const points = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('live-stats').getAttribute('data-points'));

test('a live plot of two signals of different units updates as samples arrive', async ({ app }) => {
  await app.getByRole('link', { name: 'Live' }).click();
  // Live opens with each meter's total power (tested in live-default.spec.ts); start from an empty pick.
  await app.locator('.picker-count').getByRole('button', { name: 'clear' }).click();
  const main = app.locator('.picker-group').filter({ hasText: 'Main meter (demo)' });
  await main.locator('[data-testid="pick-signal"][data-key="voltage_l1"]').getByRole('checkbox').check();
  await main.locator('[data-testid="pick-signal"][data-key="active_power"]').getByRole('checkbox').check();
  const chart = app.getByTestId('live-chart');
  await expect(chart.locator('canvas')).toBeVisible();
  // One y axis per unit (V and W) besides the time axis; the legend names both series.
  await expect(chart.locator('.u-axis')).toHaveCount(3);
  await expect(chart.locator('.u-legend')).toContainText('Voltage L1-N');
  await expect(chart.locator('.u-legend')).toContainText('Active power, total');
  await expect.poll(() => points(app), { timeout: 30_000 }).toBeGreaterThan(2);
  const before = await points(app);
  const pixels = await canvasHash(app);
  await expect.poll(() => points(app), { timeout: 30_000 }).toBeGreaterThan(before);
  await expect.poll(() => canvasHash(app), { timeout: 30_000 }).not.toBe(pixels);
  const table = app.getByTestId('live-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table).toContainText('valid');

  // Pause freezes the drawing (once a frame already under way has landed); resume catches up.
  await app.getByRole('button', { name: 'Pause' }).click();
  await expect(app.getByRole('button', { name: 'Resume' })).toBeVisible();
  const drawn = (): Promise<string | null> => app.getByTestId('live-stats').getAttribute('data-frames');
  let frozen = await drawn();
  await expect
    .poll(
      async () => {
        const now = await drawn();
        const still = now === frozen;
        frozen = now;
        return still;
      },
      { intervals: [500] },
    )
    .toBe(true);
  await app.waitForTimeout(1500); // nothing may happen in this time: there is no condition to wait for
  expect(await drawn()).toBe(frozen);
  await app.getByRole('button', { name: 'Resume' }).click();
  await expect
    .poll(async () => Number(await app.getByTestId('live-stats').getAttribute('data-frames')))
    .toBeGreaterThan(Number(frozen));
  await app.getByRole('button', { name: '10 min' }).click();
  await expect(app.getByRole('button', { name: '10 min' })).toHaveAttribute('aria-pressed', 'true');
  // Cursor values: hovering the plot puts numbers with their unit into the legend.
  const over = chart.locator('.u-over');
  const box = await over.boundingBox();
  await over.hover({ position: { x: (box?.width ?? 100) - 12, y: (box?.height ?? 100) / 2 } });
  await expect(chart.locator('.u-legend')).toContainText(/\d+(\.\d+)? V/);
  await expect(chart.locator('.u-legend')).toContainText(/\d+(\.\d+)? W/);
  await shot(app, 'live');
});
