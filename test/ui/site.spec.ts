import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { demoServer, expect, shot, signIn, test as base } from './fixtures.js';
import type { Served } from './serve.js';

/**
 * The walk starts the site from the configuration and expects the demo plant as it ships: other specs
 * rename and add devices on the shared server, so this one has a fresh `serve --demo` of its own.
 */
const test = base.extend<{ app: Page }, { pristine: Served }>({
  pristine: demoServer,
  app: async ({ page, pristine }, use) => {
    await signIn(page, pristine.url);
    await use(page);
  },
});

/** The planned-device row whose Label field holds `label`. */
async function row(page: Page, label: string): Promise<Locator> {
  const rows = page.getByTestId('planned-row');
  await expect(rows.first()).toBeVisible();
  for (const r of await rows.all())
    if ((await r.getByLabel('Label', { exact: true }).inputValue()) === label) return r;
  throw new Error(`no planned row "${label}"`);
}

/**
 * A technician's whole job on the demo plant, in the browser: plan the site from what is configured,
 * change it (a CT ratio the meter does not have, a planned meter nobody installed, a configured meter
 * left out of the plan), check it against the wire, write the plan, run the load-step test on the demo
 * heat pump (its CT2 is mounted backwards), cross-check the main meter with the P1 meter, take the
 * hand-over baseline and produce the report.
 */
test('a site from plan to report: check against the wire, write the plan, load step, P1 cross-check, baseline, report', async ({
  app,
}) => {
  test.setTimeout(300_000);
  await app.locator('nav a[href="#/site"]').click();
  await expect(app.locator('.page-header h1')).toHaveText('Site');

  // 1. Plan: started from the configuration, then edited.
  await app.getByLabel('Site name').fill('Villa Rossi');
  await app.getByRole('button', { name: 'Start the site' }).click();
  const heatPump = await row(app, 'Heat pump (demo)');
  await heatPump.getByLabel('CT ratio').fill('40');
  await heatPump.getByRole('button', { name: 'Duplicate' }).click();
  const copy = await row(app, 'Heat pump (demo) (copy)');
  await copy.getByLabel('Label', { exact: true }).fill('Kitchen sub-meter');
  await copy.getByLabel('Unit id').fill('9');
  await copy.getByLabel('Role').selectOption('sub-meter');
  await (await row(app, 'PV inverter (demo, RS485 pty)')).getByRole('button', { name: 'Remove' }).click();
  await app.getByRole('button', { name: 'Save plan' }).click();
  await expect(app.getByText('Plan saved.')).toBeVisible();

  // 2. Against the wire: one difference named, one missing, one unplanned.
  await app.getByRole('button', { name: 'Check against the wire' }).click();
  const check = app.getByTestId('plan-check');
  await expect(check).toBeVisible({ timeout: 90_000 });
  const differs = check.locator('[data-testid="check-row"][data-outcome="differs"]');
  await expect(differs.filter({ hasText: 'Heat pump (demo)' })).toContainText(
    'CT ratio: planned 40, found 1',
  );
  await expect(
    check
      .locator('[data-testid="check-row"][data-outcome="missing"]')
      .filter({ hasText: 'Kitchen sub-meter' }),
  ).toBeVisible();
  await expect(check.locator('[data-testid="check-row"][data-outcome="unplanned"]')).toContainText(/EM340/);
  await shot(app, 'site-check');

  // 3. Write the plan: the heat pump's CT ratio written and read back.
  await app.getByRole('button', { name: 'Write the plan' }).click();
  const written = app.getByTestId('write-plan');
  await expect(written).toBeVisible({ timeout: 90_000 });
  const ct = written.locator('[data-testid="write-setting"]').filter({ hasText: 'CT ratio' });
  await expect(ct).toContainText('1 → 40');
  await expect(ct).toContainText('written, read back');
  await expect(
    written.locator('[data-testid="write-meter"]').filter({ hasText: 'Kitchen sub-meter' }),
  ).toContainText('not found on the wire');

  // 4. Load step on the heat pump's meter (CT2 reversed), the demo plant switching its test load.
  const wizard = app.getByTestId('load-step');
  await wizard.getByLabel('Meter').selectOption({ label: 'Heat pump (demo)' });
  await expect(wizard.getByLabel('Load power (W)')).toHaveValue('2000');
  await wizard.getByLabel('Let the demo plant switch its test load').check();
  await wizard.getByRole('button', { name: 'Start the test' }).click();
  for (const phase of [1, 2, 3]) {
    await expect(wizard.getByTestId('step-prompt')).toContainText(`ON on L${phase}`);
    await wizard.getByRole('button', { name: 'The load is on' }).click();
    await expect(wizard.getByTestId('step-prompt')).toContainText(`on L${phase} OFF`);
    await wizard.getByRole('button', { name: 'The load is off' }).click();
  }
  const result = wizard.getByTestId('step-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result).toContainText('Heat pump (demo): the wiring needs fixing.');
  const l2 = result.getByTestId('step-row').nth(1);
  await expect(l2).toContainText('CT2');
  await expect(l2).toContainText('CT reversed');
  await expect(l2).toContainText('swap S1/S2 of CT2');
  await shot(app, 'site-load-step');

  // 5. Cross-check with the utility meter: the demo's P1 meter sits in front of its main meter.
  const cross = app.getByTestId('cross-check');
  await cross.getByLabel('Window').selectOption({ label: '10 s' });
  await cross.getByRole('button', { name: 'Cross-check' }).click();
  const crossResult = cross.getByTestId('cross-result');
  await expect(crossResult).toBeVisible({ timeout: 60_000 });
  await expect(crossResult).toHaveAttribute('data-verdict', 'agree');
  await expect(crossResult).toContainText('The main meter reads what the P1 meter reads');
  await expect(crossResult).toContainText('Main meter (demo) against Grid connection (demo, P1 port)');
  await shot(app, 'site-cross-check');

  // 6. Hand-over baseline, and no change since.
  const handOver = app.getByTestId('hand-over');
  await handOver.getByRole('button', { name: 'Take hand-over baseline' }).click();
  await expect(handOver).toContainText(/Baseline taken: \d+ settings of \d+ meters/, { timeout: 60_000 });
  await handOver.getByRole('button', { name: 'Check for changes since' }).click();
  await expect(handOver.getByTestId('drift')).toContainText('No setting changed since the baseline.', {
    timeout: 60_000,
  });

  // 7. The report: the HTML shows the site, the value written and the cross-check; Esc closes it; the
  // PDF is a PDF.
  await handOver.getByRole('button', { name: 'View report' }).click();
  const frame = app.frameLocator('[data-testid="report-frame"]');
  await expect(frame.locator('body')).toContainText('Villa Rossi', { timeout: 60_000 });
  await expect(frame.locator('body')).toContainText('Heat pump (demo)');
  await expect(frame.locator('body')).toContainText(/ct_ratio|CT ratio/);
  await expect(frame.locator('body')).toContainText('40');
  await expect(frame.locator('body')).toContainText(
    /agree: P1 \d+ W import, main meter \d+ W import over 10 s/,
  );
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('report-frame')).toHaveCount(0);
  const download = app.waitForEvent('download', { timeout: 120_000 });
  await handOver.getByRole('button', { name: 'Save report as PDF' }).click();
  const file = await (await download).path();
  const pdf = readFileSync(file);
  expect(pdf.length).toBeGreaterThan(1000);
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
});
