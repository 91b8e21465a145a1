import { expect, shot, test } from './fixtures.js';

/** Issue 12.5: the technician marks the site's main meter on a load; one per site. */
test('the main meter is chosen on a load, and choosing another clears the first', async ({ app }) => {
  const openLoad = async (device: string) => {
    await app.getByTestId('tree-device').filter({ hasText: device }).getByTestId('tree-load').first().click();
    await expect(app.getByTestId('load-detail')).toContainText(device);
  };
  const box = () => app.getByTestId('main-meter').getByRole('checkbox', { name: 'Main meter of the site' });

  // A new demo plant marks its grid meter as main.
  await openLoad('Main meter (demo)');
  await expect(box()).toBeChecked();
  await expect(app.getByTestId('load-detail').locator('.badge', { hasText: 'main meter' })).toBeVisible();

  await openLoad('Heat pump (demo)');
  await expect(box()).not.toBeChecked();
  await expect(app.getByTestId('main-meter')).toContainText('One per site');
  await box().click();
  await expect(box()).toBeChecked();
  await expect(app.getByTestId('load-detail').locator('.badge', { hasText: 'main meter' })).toBeVisible();
  await shot(app, 'main-meter');

  // The old main is no longer one.
  await openLoad('Main meter (demo)');
  await expect(box()).not.toBeChecked();
  await expect(app.getByTestId('load-detail').locator('.badge', { hasText: 'main meter' })).toHaveCount(0);

  // Back as it was, for the other tests sharing this server.
  await box().click();
  await expect(box()).toBeChecked();
});
