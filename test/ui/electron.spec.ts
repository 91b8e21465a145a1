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
function electronBinary(): { exe?: string; looked: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { looked: pathFile };
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const exe = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? { exe, looked: exe } : { looked: exe };
}

/** Why the window cannot be opened here, or undefined when it can. */
function cannotRun(): string | undefined {
  const { exe, looked } = electronBinary();
  if (!exe)
    return `Electron binary missing at ${looked} (\`npx install-electron\` needs internet; CI's release workflow has it)`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display and no xvfb-run (run through `node scripts/with-display.js`, or install xvfb)';
  return undefined;
}

const reason = cannotRun();

test.describe('the desktop window', () => {
  // The list reporter shows a skip without its reason; say it where a reader of the run sees it.
  if (reason) console.log(`electron launch test skipped: ${reason}`);
  test.skip(!!reason, reason);

  test('starts with isolation, sandbox and CSP in force, window.ems as the only bridge, the demo plant and a live chart', async () => {
    const app = await electron.launch({
      executablePath: electronBinary().exe,
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

      // As main set them up, read back from the running window's web contents (Electron's
      // getLastWebPreferences: undocumented, not in electron.d.ts, used by Electron's own tests).
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0]?.webContents as unknown as
          { getLastWebPreferences?: () => Record<string, unknown> | null } | undefined;
        const p = wc?.getLastWebPreferences?.();
        if (!p) return 'no web preferences to read (getLastWebPreferences missing)';
        return {
          contextIsolation: p.contextIsolation,
          sandbox: p.sandbox,
          nodeIntegration: p.nodeIntegration,
        };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });

      // In the page: no Node, and the preload's world is not the page's.
      const page = await win.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return {
          node: ['require', 'process', 'module', 'Buffer', 'global'].filter(
            (k) => typeof w[k] !== 'undefined',
          ),
          ems: typeof w.ems,
          emsKeys: Object.keys(w.ems as object).sort(),
        };
      });
      expect(page).toEqual({ node: [], ems: 'object', emsKeys: ['invoke', 'on'] });

      // window.ems is the only thing the preload added: compare with a clean window of the same origin.
      const added = await win.evaluate(() => {
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const clean = new Set(Object.getOwnPropertyNames(frame.contentWindow));
        frame.remove();
        return Object.getOwnPropertyNames(window).filter((k) => !clean.has(k) && !/^\d+$/.test(k));
      });
      // i18next marks on window that it showed its notice once; the browser UI has that one too.
      expect(added.filter((k) => k !== '__i18next_supportNoticeShown')).toEqual(['ems']);

      // The CSP refuses eval and inline script.
      const csp = await win.evaluate(async () => {
        let evalRan = false;
        try {
          evalRan = (0, eval)('true') as boolean;
        } catch {
          evalRan = false;
        }
        const violation = new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), {
            once: true,
          });
          setTimeout(() => resolve('no violation reported'), 5000);
        });
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.head.append(s);
        return {
          evalRan,
          inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true,
          directive: await violation,
        };
      });
      expect(csp).toEqual({
        evalRan: false,
        inlineRan: false,
        directive: expect.stringMatching(/^script-src/),
      });

      // Live opens with each meter's total power plotted, and points arrive.
      await win.locator('nav a[href="#/live"]').click();
      await expect(win.getByTestId('live-chart').locator('canvas').first()).toBeVisible({ timeout: 30_000 });
      await expect
        .poll(async () => Number(await win.getByTestId('live-stats').getAttribute('data-points')), {
          timeout: 30_000,
        })
        .toBeGreaterThan(3);
      await win.screenshot({ path: join(SHOTS, 'electron.png') });
    } finally {
      await app.close();
    }
  });

  test('remembers its size, place and last page across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ems-electron-'));
    const launch = () =>
      electron.launch({
        executablePath: electronBinary().exe,
        args: [ROOT],
        // Its own profile (localStorage keeps the last page there), not the user's.
        env: {
          ...process.env,
          EMS_API_PORT: '0',
          EMS_DB: join(dir, 'ems.db'),
          EMS_USER_DATA: join(dir, 'profile'),
        },
      });
    let app = await launch();
    let want: { x: number; y: number; width: number; height: number };
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('tree-device').first()).toBeVisible({ timeout: 60_000 });
      want = await app.evaluate(({ BrowserWindow, screen }) => {
        const wa = screen.getPrimaryDisplay().workArea;
        const b = {
          x: wa.x + 20,
          y: wa.y + 20,
          width: Math.min(900, wa.width - 40),
          height: Math.min(600, wa.height - 40),
        };
        BrowserWindow.getAllWindows()[0]?.setBounds(b);
        return b;
      });
      await win.locator('nav a[href="#/history"]').click();
      await expect(win.locator('nav a[aria-current="page"]')).toHaveAttribute('href', '#/history');
    } finally {
      await app.close();
    }
    app = await launch();
    try {
      const win = await app.firstWindow();
      await expect(win.locator('nav a[aria-current="page"]')).toHaveAttribute('href', '#/history', {
        timeout: 60_000,
      });
      const got = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds());
      expect(got).toEqual(want);
    } finally {
      await app.close();
    }
  });
});
