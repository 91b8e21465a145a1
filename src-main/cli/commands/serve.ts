import { defaultDbFile } from '../../util/data-dir.js';
import { isLoopback, readSavedSettings } from '../../ipc/settings-store.js';
import { startRuntime } from '../../runtime.js';
import { showSignInLink } from '../signin-link.js';
import { readIntegrationSettings } from '../../integrations/settings.js';
import { Store } from '../../store/store.js';
import { int, parse, str, type Io } from '../args.js';
import { INTEGRATION_FLAGS, INTEGRATIONS_USAGE, integrationsFromFlags } from './serve-integrations.js';

const USAGE = `ems-commissioner serve [--db FILE] [--host 127.0.0.1] [--port 8080] [--demo] [--allow-remote] ${INTEGRATIONS_USAGE}`;

export async function serve(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean' },
      'demo-if-empty': { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      ...INTEGRATION_FLAGS,
    },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const dbFile = typeof values.db === 'string' ? values.db : defaultDbFile();
  // What was saved in the UI's settings applies unless the command line says otherwise.
  const probe = new Store({ file: dbFile });
  let saved;
  let savedIntegrations;
  try {
    saved = readSavedSettings(probe.meta, (reason) => io.err(`Warning: ${reason}`));
    savedIntegrations = readIntegrationSettings(probe.meta);
  } finally {
    probe.close();
  }
  const host = typeof values.host === 'string' ? str(values.host, 'host') : saved.api.host;
  const port = values.port === undefined ? saved.api.port : int(values.port, 'port', 0, 65535);
  // A non-loopback address saved in the settings was asked for explicitly there, with its warning.
  const savedRemote = values.host === undefined && !isLoopback(saved.api.host);
  const integrations = await integrationsFromFlags(savedIntegrations, values, io);
  // The gateway, like the API, listens beyond loopback only when asked to on the command line or in the settings.
  if (values['allow-remote'] === true) integrations.modbusGateway.allowRemote = true;
  const rt = await startRuntime({
    dbFile,
    rawRetentionMs: saved.rawRetentionDays * 86_400_000,
    api: { host, port, allowRemote: values['allow-remote'] === true || savedRemote },
    demo: values.demo ? 'always' : values['demo-if-empty'] ? 'if-empty' : 'never',
    integrations,
  });
  const devices = rt.engine.store.config.devices().length;
  io.err(
    `EMS Commissioner ready at ${rt.url}  (database ${dbFile}, ${devices} device(s)${rt.demo ? ', demo plant on' : ''})`,
  );
  for (const st of rt.engine.integrations.status())
    if (st.enabled)
      io.err(`  ${st.name}: ${st.lastError ? `not running: ${st.lastError}` : (st.target ?? 'on')}`);
  showSignInLink(rt, io);
  if (!rt.engine.store.users.list().length)
    io.err(
      `No accounts yet. To sign in to the browser UI and the API, create one (type the password, then Enter):\n` +
        `  npx ems-commissioner users add admin --role admin --password-stdin --db ${JSON.stringify(dbFile)}`,
    );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await rt.close();
  return 0;
}
