import { loadLibrary } from '../../devices/library.js';
import { HostListError, expandHosts } from '../../discovery/hosts.js';
import { ScanError, scanRtu } from '../../discovery/rtu-scan.js';
import { serialLabel } from '../../discovery/scan-order.js';
import type { FoundDevice, ScanHooks, ScanProgress, ScanReport } from '../../discovery/scan-types.js';
import { scanTcp } from '../../discovery/tcp-scan.js';
import type { Parity } from '../../transport/transport.js';
import { int, intList, OperationError, parse, processIo, str, UsageError, type Io } from '../args.js';
import { printFrames } from './monitor.js';
import { scanMbus } from './scan-mbus.js';
import { scanP1 } from './scan-p1.js';

const RTU_USAGE =
  'ems-commissioner scan rtu --port PATH [--baud 9600,19200,38400,115200] [--parity none,even,odd] [--stopbits 1,2] [--units 1-247] [--margin MS] [--no-wake] [--monitor] [--json]';
const TCP_USAGE =
  'ems-commissioner scan tcp --host H[,H…|CIDR] [--port 502] [--units 1-247] [--rtu-over-tcp] [--concurrency N] [--timeout MS] [--monitor] [--json]';
const USAGE = `${RTU_USAGE}\n       ${TCP_USAGE}\n       ems-commissioner scan mbus …  |  scan p1 …`;

/** `scan rtu|tcp|mbus|p1`: Modbus here, the M-Bus and P1 scans in their own files. */
export async function scan(argv: string[], io: Io): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode === 'rtu') return scanRtuCommand(rest, io);
  if (mode === 'tcp') return scanTcpCommand(rest, io);
  if (mode === 'mbus') return scanMbus(rest, io);
  if (mode === 'p1') return scanP1(rest, io);
  if (mode === '--help' || mode === '-h') {
    io.out(`usage: ${USAGE}`);
    return 0;
  }
  throw new UsageError(`scan what? give rtu, tcp, mbus or p1\nusage: ${USAGE}`);
}

/** One stderr line that updates in place (a plain line per change when stderr is not a terminal). */
class ProgressLine {
  private last = 0;
  private width = 0;
  constructor(private readonly io: Io) {}

  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    if (this.io === processIo) {
      const pad = ' '.repeat(Math.max(0, this.width - text.length));
      process.stderr.write(`\r${text}${process.stderr.isTTY ? '\x1b[K' : pad}`);
      this.width = text.length;
    } else this.io.err(text);
  }

  /** Ends the updating line so the next output starts on a fresh one. */
  end(): void {
    if (this.io === processIo && this.width) process.stderr.write('\n');
    this.width = 0;
  }
}

function progressText<P>(p: ScanProgress<P>, where: (c: P) => string): string {
  const pct = p.total ? Math.floor((p.done / p.total) * 100) : 0;
  return `scanning ${where(p.current)}  ${p.done}/${p.total} (${pct}%)  found ${p.found}`;
}

function foundLine(d: FoundDevice): string {
  const c = d.connection;
  const where =
    'host' in c
      ? `${c.host}:${c.port} unit ${c.unit}`
      : `${c.port} ${c.baud} 8${c.parity[0]!.toUpperCase()}${c.stopBits} unit ${c.unit}`;
  const what =
    d.kind === 'meter'
      ? `${d.vendor} ${d.name} — ${d.variant}${d.system ? `, set to ${d.system}` : ''}${d.serialNumber ? `, s/n ${d.serialNumber}` : ''}`
      : d.kind === 'unknown'
        ? `unknown device, id registers: ${d.idRegisters.map((r) => `${r.fc}:${r.register}=${r.words ? r.words.join(' ') : `exception ${r.exception ?? r.error}`}`).join(', ')}`
        : 'not a meter';
  return `${where}  ${what}  (${d.latencyMs} ms)${d.note ? `\n    ${d.note}` : ''}`;
}

/** Runs a scan with progress on stderr, Ctrl-C to stop, and prints the report. */
async function runScan<P>(
  io: Io,
  json: boolean,
  monitorFrames: boolean,
  where: (c: P) => string,
  run: (hooks: ScanHooks<P>) => Promise<ScanReport>,
): Promise<number> {
  const abort = new AbortController();
  const onSig = (): void => abort.abort();
  process.once('SIGINT', onSig);
  const line = new ProgressLine(io);
  const unmonitor: (() => void)[] = [];
  let report: ScanReport;
  try {
    report = await run({
      signal: abort.signal,
      onProgress: (p) => line.update(progressText(p, where), p.done === p.total),
      onFound: (d) => {
        line.end();
        if (!json) io.err(`found ${foundLine(d)}`);
      },
      onBus: (_key, bus) => {
        if (monitorFrames && bus)
          unmonitor.push(
            printFrames(
              bus,
              (l) => {
                line.end();
                io.err(l);
              },
              false,
            ),
          );
      },
    });
  } catch (e) {
    if (e instanceof ScanError) throw new OperationError(e.message);
    throw e;
  } finally {
    line.end();
    for (const f of unmonitor) f();
    process.off('SIGINT', onSig);
  }
  if (json) io.out(JSON.stringify(report, null, 2));
  else {
    const meters = report.found.filter((d) => d.kind === 'meter').length;
    io.out(
      `${report.found.length} device(s) answered, ${meters} identified as meters, in ${(report.durationMs / 1000).toFixed(1)} s (${report.probes} probes)${report.cancelled ? ' — cancelled' : ''}`,
    );
    for (const d of report.found) io.out(`  ${foundLine(d)}`);
    for (const h of report.hints) io.out(`  note: ${h}`);
  }
  if (report.cancelled) throw new OperationError(`scan cancelled after ${report.probes} probes`);
  return 0;
}

async function scanRtuCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      port: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      stopbits: { type: 'string' },
      units: { type: 'string' },
      margin: { type: 'string' },
      'no-wake': { type: 'boolean' },
      monitor: { type: 'boolean' },
    },
    RTU_USAGE,
  );
  const port = str(values.port, 'port');
  const bauds = typeof values.baud === 'string' ? intList(values.baud, 'baud', 300, 921_600) : undefined;
  const parities = typeof values.parity === 'string' ? parseParities(values.parity) : undefined;
  const stopBits =
    typeof values.stopbits === 'string'
      ? (intList(values.stopbits, 'stopbits', 1, 2) as (1 | 2)[])
      : undefined;
  const units = typeof values.units === 'string' ? intList(values.units, 'units', 1, 247) : undefined;
  const marginMs = values.margin === undefined ? undefined : int(values.margin, 'margin', 0, 5000);
  const library = loadLibrary();
  return runScan(
    io,
    values.json === true,
    values.monitor === true,
    (c: { baud: number; parity: Parity; unit: number }) => `${serialLabel(c.baud, c.parity)} unit ${c.unit}`,
    (hooks) =>
      scanRtu(
        library,
        { port, bauds, parities, stopBits, units, marginMs, wakeUp: values['no-wake'] !== true },
        hooks,
      ),
  );
}

function parseParities(text: string): Parity[] {
  return text.split(',').map((p) => {
    const v = p.trim();
    if (v !== 'none' && v !== 'even' && v !== 'odd')
      throw new UsageError(`--parity: "${v}" is not none, even or odd`);
    return v;
  });
}

async function scanTcpCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      units: { type: 'string' },
      'rtu-over-tcp': { type: 'boolean' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      monitor: { type: 'boolean' },
    },
    TCP_USAGE,
  );
  let hosts: string[];
  try {
    hosts = expandHosts(str(values.host, 'host'));
  } catch (e) {
    if (e instanceof HostListError) throw new UsageError(e.message);
    throw e;
  }
  const port = values.port === undefined ? 502 : int(values.port, 'port', 1, 65535);
  const units = typeof values.units === 'string' ? intList(values.units, 'units', 0, 255) : undefined;
  const concurrency =
    values.concurrency === undefined ? undefined : int(values.concurrency, 'concurrency', 1, 256);
  const unitTimeoutMs = values.timeout === undefined ? undefined : int(values.timeout, 'timeout', 10, 60_000);
  const library = loadLibrary();
  return runScan(
    io,
    values.json === true,
    values.monitor === true,
    (c: { host: string; port: number; unit?: number }) =>
      `${c.host}:${c.port}${c.unit !== undefined ? ` unit ${c.unit}` : ''}`,
    (hooks) =>
      scanTcp(
        library,
        { hosts, port, units, rtuOverTcp: values['rtu-over-tcp'] === true, concurrency, unitTimeoutMs },
        hooks,
      ),
  );
}
