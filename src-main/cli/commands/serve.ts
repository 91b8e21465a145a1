import { defaultDbFile } from '../../util/data-dir.js';
import { startRuntime } from '../../runtime.js';
import { int, parse, str, type Io } from '../args.js';

const USAGE = 'ems-commissioner serve [--db FILE] [--host 127.0.0.1] [--port 8080] [--demo] [--allow-remote]';

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
    },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const dbFile = typeof values.db === 'string' ? values.db : defaultDbFile();
  const host = typeof values.host === 'string' ? str(values.host, 'host') : '127.0.0.1';
  const port = values.port === undefined ? 8080 : int(values.port, 'port', 0, 65535);
  const rt = await startRuntime({
    dbFile,
    api: { host, port, allowRemote: values['allow-remote'] === true },
    demo: values.demo ? 'always' : values['demo-if-empty'] ? 'if-empty' : 'never',
  });
  const devices = rt.engine.store.config.devices().length;
  io.err(
    `EMS Commissioner ready at ${rt.url}  (database ${dbFile}, ${devices} device(s)${rt.demo ? ', demo plant on' : ''})`,
  );
  if (!rt.engine.store.users.list().length)
    io.err('No accounts yet: create one with  ems-commissioner users add NAME --role admin');
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
