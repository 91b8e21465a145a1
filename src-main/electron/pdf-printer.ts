import { BrowserWindow, session } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PdfPrinter } from '../site/report-types.js';

/**
 * The desktop app's report printer: Electron's own Chromium prints the report's HTML with
 * `webContents.printToPDF`, in a hidden window of its own session with scripts off and every request
 * but the report file itself refused. Set on the engine at start (`engine.usePdfPrinter`).
 */
export function electronPdfPrinter(): PdfPrinter {
  const ses = session.fromPartition('ems-report-print');
  ses.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !details.url.startsWith('file:') }));
  return {
    async print(html: string): Promise<Uint8Array> {
      // A file, not a data: URL: long reports pass Chromium's URL length limit.
      const dir = await mkdtemp(join(tmpdir(), 'ems-report-'));
      const file = join(dir, 'report.html');
      const win = new BrowserWindow({
        show: false,
        webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true },
      });
      try {
        await writeFile(file, html, 'utf8');
        await win.loadFile(file);
        const pdf = await win.webContents.printToPDF({
          pageSize: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
        });
        return new Uint8Array(pdf);
      } finally {
        win.destroy();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
