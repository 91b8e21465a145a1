import { expect, test } from './fixtures.js';

test('integrations are switched on in Settings and show their state', async ({ app }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  const prom = app.getByTestId('integration-prometheus');
  await expect(prom).toContainText('Off');
  await expect(app.getByText('Not set').first()).toBeVisible();
  await app.getByLabel('Serve /metrics for Prometheus').check();
  await app.getByRole('button', { name: 'Save integrations' }).click();
  await expect(prom).toContainText('On');
  await expect(prom).not.toContainText('Off');

  // A broker URL with the wrong scheme is refused with the engine's reason, and nothing changes.
  await app.getByLabel('Publish to an MQTT broker').check();
  await app.getByLabel('Broker URL').fill('http://127.0.0.1:1');
  await app.getByRole('button', { name: 'Save integrations' }).click();
  await expect(app.getByText(/use mqtt: or mqtts:/)).toBeVisible();
  await expect(app.getByTestId('integration-mqtt')).toContainText('Off');

  // MQTT to a port where nothing listens: on, not connected, and the password only as "set".
  await app.getByLabel('Broker URL').fill('mqtt://127.0.0.1:1');
  await app.getByLabel('Broker password').fill('broker-secret');
  await app.getByRole('button', { name: 'Save integrations' }).click();
  await expect(app.getByTestId('integration-mqtt')).toContainText('Not connected');
  await expect(app.getByLabel('Broker password')).toHaveValue('');
  await expect(app.getByText('Set (leave empty to keep it)')).toBeVisible();
  await expect(app.getByTestId('integration-mqtt')).toContainText(/ECONNREFUSED|refused|connect/i, {
    timeout: 15_000,
  });
});
