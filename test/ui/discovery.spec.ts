import { expect, shot, test } from './fixtures.js';
import { freePort, startCli, stop } from './serve.js';
import { mbusSerialSettings } from '../../src-main/bus/mbus-master.js';
import { startMbusSlave } from '../../src-main/sim/mbus-slave.js';
import { startP1Meter } from '../../src-main/sim/p1-meter.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair } from '../helpers/peers.js';

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

test('an M-Bus scan lists the meter on the line and Add configures it', async ({ app }) => {
  const pty = await ptyPair();
  const side = new SerialTransport(mbusSerialSettings(pty.b));
  await side.open();
  const slave = startMbusSlave(side, [
    { primaryAddress: 5, id: '31000005', manufacturer: 'EMS', kind: 'electricity' },
  ]);
  try {
    await app.getByRole('link', { name: 'Discovery' }).click();
    await app.getByRole('button', { name: 'M-Bus', exact: true }).click();
    const panel = app.getByTestId('mbus-panel');
    await panel.getByLabel('Serial port', { exact: true }).selectOption('');
    await panel.getByLabel('Serial port path').fill(pty.a);
    await panel.getByLabel('Primary address from').fill('0');
    await panel.getByLabel('Primary address to').fill('8');
    await panel.getByRole('button', { name: 'Start M-Bus scan' }).click();
    await expect(panel.getByText(/M-Bus scan finished .*1 meter found/)).toBeVisible({ timeout: 30_000 });
    const row = panel.getByTestId('mbus-found').locator('tbody tr[data-primary="5"]');
    await expect(row).toContainText('31000005');
    await expect(row).toContainText('EMS');
    await expect(row).toContainText(/Electricity/i);
    await shot(app, 'discovery-mbus');
    await row.getByRole('button', { name: 'Add' }).click();
    await expect(row).toContainText('Added as');
  } finally {
    await slave.stop();
    await side.close();
    pty.close();
  }
});

test('P1 detection shows the settings and DSMR version, and Add configures the port', async ({ app }) => {
  const pty = await ptyPair();
  const side = new SerialTransport({
    path: pty.b,
    baudRate: 115200,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
  });
  await side.open();
  const meter = startP1Meter(side, { intervalMs: 500 });
  try {
    await app.getByRole('link', { name: 'Discovery' }).click();
    await app.getByRole('button', { name: 'P1', exact: true }).click();
    const panel = app.getByTestId('p1-panel');
    await panel.getByLabel('Serial port', { exact: true }).selectOption('');
    await panel.getByLabel('Serial port path').fill(pty.a);
    await panel.getByRole('button', { name: 'Detect P1' }).click();
    const result = panel.getByTestId('p1-result');
    // A pty ignores line speeds, so the 9600 7E1 attempt also reads the telegram if the first attempt
    // happens to see nothing (the IPC test pins 115200 8N1); the version comes from the telegram itself.
    await expect(result.getByText(/^P1 telegrams on /)).toContainText(/(115200 8N1|9600 7E1), DSMR 5\.0/, {
      timeout: 45_000,
    });
    await shot(app, 'discovery-p1');
    await result.getByRole('button', { name: 'Add' }).click();
    await expect(result).toContainText('Added as');
  } finally {
    await meter.stop();
    await side.close();
    pty.close();
  }
});
