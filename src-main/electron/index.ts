import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { EVENT_PREFIX, INVOKE_PREFIX, type InvokeChannel } from '../../src-preload/contract/index.js';
import { createHandlers, dispatch } from '../ipc/handlers.js';
import { startRuntime, type Runtime } from '../runtime.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let runtime: Runtime | undefined;

async function main(): Promise<void> {
  await app.whenReady();
  runtime = await startRuntime({
    dbFile: join(app.getPath('userData'), 'ems.db'),
    api: { host: '127.0.0.1', port: Number(process.env.EMS_API_PORT ?? 8080) },
    demo: 'if-empty',
  });
  const handlers = createHandlers(runtime, 'electron', app.getVersion());
  // The one place raw ipcMain is used: every channel of the contract goes through dispatch().
  for (const channel of Object.keys(handlers) as InvokeChannel[]) {
    ipcMain.handle(`${INVOKE_PREFIX}${channel}`, (_e, arg) => dispatch(handlers, channel, arg));
  }
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'EMS Commissioner',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  runtime.engine.poller.on('samples', (batch) => {
    if (win.isDestroyed()) return;
    win.webContents.send(`${EVENT_PREFIX}samples`, {
      uid: batch.map((s) => s.uid),
      t: batch.map((s) => s.t),
      v: batch.map((s) => (typeof s.v === 'boolean' ? Number(s.v) : s.v)),
      s: batch.map((s) => s.s),
    });
  });
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

app.on('window-all-closed', () => {
  void (runtime?.close() ?? Promise.resolve()).finally(() => app.quit());
});

main().catch((err: unknown) => {
  console.error('EMS Commissioner failed to start:', err);
  app.exit(1);
});
