import { existsSync } from 'node:fs';
import type { PdfPrinter } from './report-types.js';

/** The system Chromium (Debian's package); never a browser downloaded by Playwright. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class PrinterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrinterError';
  }
}

/**
 * Prints headless with the system Chromium through playwright-core: one browser per report, every
 * network request refused (the document carries everything it needs), A4 as its print CSS says.
 */
export function chromiumPrinter(executablePath = CHROMIUM): PdfPrinter {
  return {
    async print(html: string): Promise<Uint8Array> {
      if (!existsSync(executablePath))
        throw new PrinterError(
          `no Chromium at ${executablePath} to print the PDF (install chromium, set CHROMIUM_PATH, or write .html)`,
        );
      // Loaded only when a PDF is asked for: the CLI's other commands never pay for it.
      const { chromium } = await import('playwright-core');
      // Chromium's sandbox refuses to start as root (containers, CI); the page is our own, offline.
      const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
      const browser = await chromium.launch({ executablePath, headless: true, args });
      try {
        const page = await browser.newPage();
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
        return new Uint8Array(pdf);
      } finally {
        await browser.close();
      }
    },
  };
}
