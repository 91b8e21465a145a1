import { MbusMaster, mbusSerialSettings } from '../../bus/mbus-master.js';
import type { MbusFoundMeter } from '../../bus/mbus-scan.js';
import { mbusValues } from '../../drivers/mbus-driver.js';
import type { BaudRate } from '../../protocol/mbus/user-data.js';
import { SerialTransport } from '../../transport/serial.js';
import { intList, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner scan mbus --port PATH [--baud 2400,9600] [--primary 0-250] [--secondary] [--json]';
const BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400];

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
  const path = str(values.port, 'port');
  const bauds = typeof values.baud === 'string' ? intList(values.baud, 'baud', 300, 38400) : [2400];
  for (const b of bauds)
    if (!BAUDS.includes(b)) throw new UsageError(`--baud: ${b} is not an M-Bus rate (${BAUDS.join(', ')})`);
  const primary =
    typeof values.primary === 'string'
      ? intList(values.primary, 'primary', 0, 250)
      : values.secondary
        ? []
        : intList('0-250', 'primary', 0, 250);
  const abort = new AbortController();
  const onSig = (): void => abort.abort();
  process.once('SIGINT', onSig);
  const found: (MbusFoundMeter & { baud: number })[] = [];
  try {
    for (const baud of bauds) {
      const transport = new SerialTransport(mbusSerialSettings(path, baud as BaudRate));
      try {
        await transport.open();
      } catch (e) {
        throw new OperationError((e as Error).message);
      }
      try {
        const master = new MbusMaster(transport, { retries: 0 });
        const progress = (p: { done: number; total: number; current: string }): void => {
          if (!values.json) io.err(`${baud} baud: ${p.done}/${p.total} ${p.current}`);
        };
        if (primary.length) {
          const from = Math.min(...primary);
          const to = Math.max(...primary);
          for (const m of await master.scanPrimary({ from, to, signal: abort.signal, onProgress: progress }))
            found.push({ ...m, baud });
        }
        if (values.secondary)
          for (const m of await master.scanSecondary({ signal: abort.signal, onProgress: progress }))
            found.push({ ...m, baud });
      } finally {
        await transport.close();
      }
    }
  } finally {
    process.off('SIGINT', onSig);
  }
  if (values.json) {
    io.out(
      JSON.stringify(
        found.map((m) => ({ ...m, signals: m.reading ? Object.fromEntries(mbusValues(m.reading)) : {} })),
        null,
        2,
      ),
    );
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
