import { app, dialog, type BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import type { Engine } from '../engine.js';
import { siteFilesIn } from './site-args.js';

/**
 * Opening a `.emssite` file (double-click, "Open with", drop on the dock icon) imports it as the
 * site plan, after asking before it replaces a plan that has devices. The texts are the native
 * dialogs' (the main process has no i18next); what went wrong is said in full.
 */
export async function openSiteFile(win: BrowserWindow, engine: Engine, file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    await dialog.showMessageBox(win, {
      type: 'error',
      message: `Cannot read ${file}`,
      detail: (e as Error).message,
    });
    return;
  }
  const current = engine.sitePlan.get();
  if (current?.devices.length) {
    const { response } = await dialog.showMessageBox(win, {
      type: 'question',
      buttons: ['Replace', 'Keep the current plan'],
      defaultId: 1,
      cancelId: 1,
      message: `Replace the site plan "${current.site.name}" (${current.devices.length} planned device(s))?`,
      detail: `with ${file}`,
    });
    if (response !== 0) return;
  }
  try {
    const site = engine.sitePlan.importFile(text);
    await dialog.showMessageBox(win, {
      type: 'info',
      message: `Site plan "${site.site.name}" opened: ${site.devices.length} planned device(s)`,
      detail: file,
    });
  } catch (e) {
    await dialog.showMessageBox(win, {
      type: 'error',
      message: `${file} is not a usable site file`,
      detail: (e as Error).message,
    });
  }
}

/**
 * Site files from the command line at start, from a second start while the app runs (Windows,
 * Linux: the OS starts the app again, the single instance lock hands the arguments over), and from
 * macOS's open-file event, which can come before the window exists.
 */
export function handleSiteFiles(): { attach(win: BrowserWindow, engine: Engine): void } {
  const waiting = siteFilesIn(process.argv.slice(1));
  let target: { win: BrowserWindow; engine: Engine } | undefined;
  const open = (files: string[]): void => {
    if (!target) {
      waiting.push(...files);
      return;
    }
    const { win, engine } = target;
    if (win.isMinimized()) win.restore();
    win.focus();
    void files.reduce((p, f) => p.then(() => openSiteFile(win, engine, f)), Promise.resolve());
  };
  app.on('open-file', (e, file) => {
    e.preventDefault();
    open([file]);
  });
  app.on('second-instance', (_e, argv) => open(siteFilesIn(argv.slice(1))));
  return {
    attach(win, engine) {
      target = { win, engine };
      open(waiting.splice(0));
    },
  };
}
