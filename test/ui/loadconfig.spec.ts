import { loadLibrary } from '../../src-main/devices/library.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { expect, shot, test } from './fixtures.js';
import { freePort } from './serve.js';

test.describe('load configuration of a meter', () => {
  let meter: SimulatedMeter;
  let sim: RunningSim;
  let port: number;

  test.beforeAll(async () => {
    // In this process (not `simulate`) so the test can lock the meter's keypad like a technician would.
    const model = loadLibrary().get('cg-em24-rs485');
    if (!model) throw new Error('cg-em24-rs485 missing from the device library');
    meter = new SimulatedMeter({ model, unit: 5 });
    port = await freePort();
    sim = await serveTcp(meter, port);
  });
  test.afterAll(async () => {
    await sim.stop();
  });

  test('a write to the meter succeeds with read-back; a refused write is explained', async ({ app }) => {
    await app.getByRole('button', { name: 'Add device' }).click();
    const add = app.getByRole('form', { name: 'New device' });
    await add.getByLabel('Model', { exact: true }).selectOption({ label: 'Carlo Gavazzi EM24-DIN (RS485)' });
    await add.getByLabel('Device name', { exact: true }).fill('EM24 test bench');
    await add.getByLabel('Connection', { exact: true }).selectOption('tcp');
    await add.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await add.getByLabel('TCP port', { exact: true }).fill(String(port));
    await add.getByLabel('Unit id', { exact: true }).fill('5');
    await add.getByRole('button', { name: 'Add device' }).click();
    const detail = app.getByTestId('device-detail');
    await expect(detail).toContainText('EM24 test bench');
    await expect(detail.locator('.badge')).toHaveText('online', { timeout: 30_000 });

    await detail.locator('tr.clickable').first().click();
    const form = app.getByTestId('config-form');
    const row = form.locator('tr[data-key="demand_interval"]');
    await expect(row).toBeVisible({ timeout: 30_000 });
    const input = row.getByRole('textbox');
    const current = await input.inputValue();
    const next = current === '10' ? '20' : '10';

    // The form checks the range before anything is sent.
    await input.fill('99');
    await expect(row).toContainText('at most 30');
    await expect(form.getByRole('button', { name: /Write to meter/ })).toBeDisabled();

    await input.fill(next);
    await form.getByRole('button', { name: 'Write to meter (1)' }).click();
    const report = app.getByTestId('write-report');
    await expect(report).toContainText('Written to the meter', { timeout: 30_000 });
    const result = report.locator('tbody tr[data-outcome="ok"]');
    await expect(result).toContainText(`${current} min → ${next} min`);
    await expect(result).toContainText('written and confirmed');
    expect(meter.image.config.get('demand_interval')).toBe(Number(next));
    await expect(row.locator('td').nth(1)).toHaveText(`${next} min`);
    await shot(app, 'loadconfig-ok');

    // The keypad lock: the meter refuses setup writes, and the report says why in words.
    meter.image.locked = true;
    await input.fill(next === '10' ? '25' : '15');
    await form.getByRole('button', { name: 'Write to meter (1)' }).click();
    await expect(report).toContainText('Not everything reached the meter', { timeout: 30_000 });
    await expect(report).toContainText('locked');
    await expect(report.locator('tbody tr').first()).toHaveAttribute(
      'data-outcome',
      /refused|failed|skipped/,
    );
    expect(meter.image.config.get('demand_interval')).toBe(Number(next));
    await shot(app, 'loadconfig-refused');
  });
});
