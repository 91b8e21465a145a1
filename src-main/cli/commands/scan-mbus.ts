import { mbusValues } from '../../drivers/mbus-driver.js';
import { MBUS_BAUDS, scanMbusLine, type MbusLineFound } from '../../discovery/mbus-line-scan.js';
import { intList, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner scan mbus --port PATH [--baud 2400,9600] [--primary 0-250] [--secondary] [--json]';

/** Primary-address scan and/or secondary-address wildcard search on an M-Bus line, per baud rate. */
export async function scanMbus(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      port: { type: 'string' },
      baud: { type: 'string' },
      primary: { type: 'string' },
      secondary: { type: 'boolean' },
    },
    USAGE,
  );
  const port = str(values.port, 'port');
  const bauds = typeof values.baud === 'string' ? intList(values.baud, 'baud', 300, 38400) : [2400];
  for (const b of bauds)
    if (!(MBUS_BAUDS as readonly number[]).includes(b))
      throw new UsageError(`--baud: ${b} is not an M-Bus rate (${MBUS_BAUDS.join(', ')})`);
  const list = typeof values.primary === 'string' ? intList(values.primary, 'primary', 0, 250) : undefined;
  const primary = list ? { from: Math.min(...list), to: Math.max(...list) } : undefined;
  const abort = new AbortController();
  const onSig = (): void => abort.abort();
  process.once('SIGINT', onSig);
  let found: MbusLineFound[];
  try {
    found = await scanMbusLine(
      { port, bauds, primary, secondary: values.secondary === true },
      {
        signal: abort.signal,
        onProgress: (p) => {
          if (!values.json) io.err(`${p.baud} baud: ${p.done}/${p.total} ${p.current}`);
        },
      },
    );
  } catch (e) {
    throw new OperationError((e as Error).message);
  } finally {
    process.off('SIGINT', onSig);
  }
  if (values.json) {
    const out = found.map((m) => ({
      ...m,
      signals: m.reading ? Object.fromEntries(mbusValues(m.reading)) : {},
    }));
    io.out(JSON.stringify(out, null, 2));
    return 0;
  }
  if (!found.length) io.out('no M-Bus meter answered');
  for (const m of found) {
    const sig = m.reading
      ? [...mbusValues(m.reading)].map(([k, v]) => `${k}=${String(v.value)}`).join(' ')
      : '';
    io.out(
      `${m.baud} baud  primary ${m.primaryAddress ?? '-'}  secondary ${m.secondaryAddress ?? '-'}  ${m.manufacturer ?? '?'} ${m.mediumName ?? ''} id ${m.id ?? '?'}${m.problem ? `  (${m.problem})` : ''}  ${sig}`,
    );
  }
  return 0;
}
