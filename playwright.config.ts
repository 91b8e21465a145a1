import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (see README: scripts/test-deps.sh installs it).
export default defineConfig({
  testDir: 'test/ui',
  // A focused test left in by mistake would silently drop the rest: CI refuses it.
  forbidOnly: !!process.env.CI,
  outputDir: 'test/output/playwright',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    // The UI follows the browser's language; the tests read English unless they ask for another.
    locale: 'en-US',
    colorScheme: 'light',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
