import { app, BrowserWindow, ipcMain, screen, session, type WebContents } from 'electron';
import { join } from 'node:path';
import {
  EVENT_PREFIX,
  INVOKE_PREFIX,
  SUBSCRIBE_CHANNEL,
  isEventName,
  type EventName,
  type InvokeChannel,
} from '../../src-preload/contract/index.js';
import { debounce, placeWindow, readWindowState, saveWindowState } from '../desktop/window-state.js';
import { createHandlers, dispatch, hostContext } from '../ipc/handlers.js';
import { isLoopback } from '../ipc/settings-store.js';
import type { Runtime } from '../runtime.js';
import { logger } from '../util/log.js';
import { resourcesDir } from '../util/paths.js';
import { handleSiteFiles } from './open-site.js';
import { electronPdfPrinter } from './pdf-printer.js';
import { startDesktopRuntime } from './start.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let runtime: Runtime | undefined;
// Human lines when started from a terminal (npm start), JSON lines otherwise (util/log.ts).
const log = logger('desktop');

/** Event subscriptions of one window; they end with the window. */
function forwardEvents(rt: Runtime, wc: WebContents): (event: EventName, on: boolean) => void {
  const hub = hostContext(rt, 'electron', app.getVersion()).events;
  const subs = new Map<EventName, () => void>();
  wc.once('destroyed', () => {
    for (const off of subs.values()) off();
    subs.clear();
  });
  return (event, on) => {
    if (on && !subs.has(event))
      subs.set(
        event,
        hub.subscribe(event, (payload) => {
          if (!wc.isDestroyed()) wc.send(`${EVENT_PREFIX}${event}`, payload);
        }),
      );
    if (!on) {
      subs.get(event)?.();
      subs.delete(event);
    }
  };
}

/** Saves the window's size and place a moment after it was moved or resized, and when it closes. */
function rememberBounds(win: BrowserWindow, rt: Runtime): void {
  const save = debounce(() => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(rt.engine.store.meta, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      log.warn({ err }, 'window size and place not saved');
    }
  }, 500);
  win.on('resize', save);
  win.on('move', save);
  win.on('maximize', save);
  win.on('unmaximize', save);
  // 'close' comes before the window is gone and before the runtime (and its store) closes.
  win.on('close', () => save.flush());
}

async function main(): Promise<void> {
  // A profile of its own (tests, a second technician's set-up): localStorage, the single-instance
  // lock and the default database all live in userData. Must be set before anything uses it.
  if (process.env.EMS_USER_DATA) app.setPath('userData', process.env.EMS_USER_DATA);
  // One app per user: a second start (e.g. double-clicking a site file) hands its arguments to this one.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const siteFiles = handleSiteFiles();
  await app.whenReady();
  const rt = await startDesktopRuntime(process.env.EMS_DB ?? join(app.getPath('userData'), 'ems.db'));
  runtime = rt;
  // The commissioning report prints with Electron's own Chromium here, not a system one.
  rt.engine.usePdfPrinter(electronPdfPrinter());
  const handlers = createHandlers(hostContext(rt, 'electron', app.getVersion()));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  // Size and place as the technician left them, on a display that is still there.
  const saved = readWindowState(rt.engine.store.meta);
  if (saved.warning) log.warn({ reason: saved.warning }, 'window opens at its default size');
  const place = placeWindow(
    saved.state,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    title: 'EMS Commissioner',
    // Windows and macOS take the icon from the executable; Linux windows need it given.
    icon: join(resourcesDir(), 'icons', 'png', '512x512.png'),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  if (place.maximized) win.maximize();
  rememberBounds(win, rt);
  const ours = (sender: WebContents): boolean => !win.isDestroyed() && sender === win.webContents;
  // The one place raw ipcMain is used: every channel of the contract goes through dispatch(), which
  // checks the argument against the contract's schema.
  for (const channel of Object.keys(handlers) as InvokeChannel[]) {
    ipcMain.handle(`${INVOKE_PREFIX}${channel}`, (e, arg: unknown) =>
      ours(e.sender)
        ? dispatch(handlers, channel, arg)
        : { ok: false, code: 'forbidden', message: 'unknown window' },
    );
  }
  const subscribe = forwardEvents(rt, win.webContents);
  ipcMain.on(SUBSCRIBE_CHANNEL, (e, event: unknown, on: unknown) => {
    if (ours(e.sender) && isEventName(event) && typeof on === 'boolean') subscribe(event, on);
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  siteFiles.attach(win, rt.engine);
  // Started from a terminal (npm start): the browser UI too, signed in with a one-time link.
  if (process.stdout.isTTY) {
    const link = rt.signInLink();
    if (link)
      process.stdout.write(
        `Browser UI, signed in as the local admin (works once, within 10 minutes): ${link}\n`,
      );
  }
  if (rt.url && !isLoopback(new URL(rt.url).hostname.replace(/^\[|\]$/g, '')))
    log.warn({ url: rt.url }, 'the API and browser UI are reachable from the network');
}

app.on('window-all-closed', () => {
  void (runtime?.close() ?? Promise.resolve()).finally(() => app.quit());
});

main().catch((err: unknown) => {
  log.fatal({ err }, 'EMS Commissioner failed to start');
  app.exit(1);
});
