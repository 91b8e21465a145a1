import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, shot, test } from './fixtures.js';
import { cli } from './serve.js';

test('history shows the minute roll-ups with their band and exports them as CSV', async ({ app, server }) => {
  await app.getByRole('link', { name: 'History' }).click();
  const main = app.locator('.picker-group').filter({ hasText: 'Main meter (demo)' });
  const power = main.locator('[data-testid="pick-signal"][data-key="active_power"]');
  const uid = Number(await power.getAttribute('data-uid'));
  expect(uid).toBeGreaterThan(0);

  // Two hours of 10-s samples up to ten minutes ago, through the real `samples import`.
  const end = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
  const rows = ['signal_uid,t_ms,value'];
  for (let t = end - 2 * 3_600_000; t < end; t += 10_000)
    rows.push(`${uid},${t},${(2000 + 800 * Math.sin(t / 600_000)).toFixed(1)}`);
  const csv = join(server.dir, 'import.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  await cli(['samples', 'import', csv, '--db', server.db]);

  // History starts with the signals Live shows (each meter's total power): pick this one alone.
  await app.locator('.picker-count').getByRole('button', { name: 'clear' }).click();
  await power.getByRole('checkbox').check();
  await app.getByRole('button', { name: '6 hours' }).click();
  await app.getByRole('button', { name: 'Show' }).click();
  const chart = app.getByTestId('history-chart');
  await expect(chart.locator('canvas')).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => Number(await chart.getAttribute('data-rows'))).toBeGreaterThanOrEqual(119);
  await expect(app.getByTestId('history-summary')).toContainText('Active power, total');
  await shot(app, 'history');

  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^history-.*\.csv$/);
  const file = join(server.dir, 'export.csv');
  await download.saveAs(file);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('time_utc,period_end_s,signal_uid,device,signal,unit,mean_or_last,min,max,delta');
  expect(lines.length).toBeGreaterThanOrEqual(120);
  // The signal name holds a comma, so it is quoted: split on commas outside quotes.
  const cells = (lines[1] ?? '').match(/("[^"]*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '')) ?? [];
  const [, p, sig, device, name, unit, v, min, max] = cells;
  expect(Number(sig)).toBe(uid);
  expect(device).toBe('Main meter (demo)');
  expect(name).toBe('"Active power, total"');
  expect(unit).toBe('W');
  expect(Number(p) % 60).toBe(0);
  expect(Number(min)).toBeLessThanOrEqual(Number(v));
  expect(Number(max)).toBeGreaterThanOrEqual(Number(v));
});
