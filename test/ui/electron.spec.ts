import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './serve.js';
import { SHOTS } from './fixtures.js';

/**
 * The Electron binary `npm install` fetches; absent where there was no internet at install time.
 * Looked up the way the electron package does, but without `require('electron')`, which tries to
 * download a missing binary.
 */
function electronBinary(): string | undefined {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const exe = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : undefined;
}

const binary = electronBinary();

test('the desktop window starts, loads the UI through the preload and shows the demo meters', async () => {
  const reason =
    'no Electron binary installed (node_modules/electron has no path.txt/dist; `npx install-electron` needs internet)';
  // The list reporter shows a skip without its reason; say it where a reader of the run sees it.
  if (!binary) console.log(`electron launch test skipped: ${reason}`);
  test.skip(!binary, reason);
  const app = await electron.launch({
    executablePath: binary,
    args: [ROOT],
    env: {
      ...process.env,
      EMS_API_PORT: '0',
      EMS_DB: join(mkdtempSync(join(tmpdir(), 'ems-electron-')), 'ems.db'),
    },
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('tree-device').first()).toBeVisible({ timeout: 60_000 });
    expect(await win.evaluate(() => typeof (window as unknown as { ems?: unknown }).ems)).toBe('object');
    await win.screenshot({ path: join(SHOTS, 'electron.png') });
  } finally {
    await app.close();
  }
});
