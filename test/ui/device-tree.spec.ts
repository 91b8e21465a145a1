import { expect, test } from './fixtures.js';

/**
 * `127.0.0.1:5020 · unit 1`, `/dev/ttyUSB0 · 9600 8N1 · unit 3`, `COM4 · 2400 · primary 5`; a P1
 * port has no bus address: `/dev/ttyUSB2 · 115200 8N1`.
 */
const ADDRESS =
  /^(?:[\w.-]+|\[[0-9a-f:]+\]):\d+ · unit \d+|^(?:\/|COM\d)\S* · \d+(?: \d[NEOMS]\d)?(?: · (?:unit|primary|secondary) \S+)?$/;

test('the device tree names each device’s model and where it is reached', async ({ app }) => {
  const devices = app.getByTestId('tree-device');
  await expect.poll(() => devices.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const rows = await devices.evaluateAll((els) =>
    els.map((el) => ({
      label: el.querySelector('.tree-label')?.textContent ?? '',
      model: el.querySelector('.tree-model')?.textContent ?? '',
      address: el.querySelector('.tree-address')?.textContent ?? '',
    })),
  );
  for (const r of rows) {
    expect(r.model, `model of ${r.label}`).not.toBe('');
    expect(r.address, `address of ${r.label}`).toMatch(ADDRESS);
  }
  // The library's vendor and model name, not its id; the demo's units as configured.
  expect(rows).toContainEqual({
    label: 'Main meter (demo)',
    model: 'Eastron SDM630-Modbus / SDM630MCT',
    address: expect.stringMatching(/^127\.0\.0\.1:\d+ · unit 1$/),
  });
  expect(rows).toContainEqual({
    label: 'PV inverter (demo, RS485 pty)',
    model: 'Carlo Gavazzi EM330 / EM340 / EM341 / ET330 / ET340',
    address: expect.stringMatching(/^\/\S+ · 9600 8N1 · unit 3$/),
  });
  // A meter without a library model (the demo's M-Bus heat meter) is named by what it reported.
  const mbus = rows.find((r) => r.label.includes('M-Bus'));
  if (mbus)
    expect(mbus).toMatchObject({
      model: expect.stringMatching(/^EMS-v\d+$/) as unknown,
      address: expect.stringMatching(/ · 2400 · primary 5$/),
    });
});
