import { decodeTable, formatTable } from '../../mapping/decode-table.js';
import { probeRange } from '../../mapping/probe-read.js';
import { intList, oneOf, OperationError, parse, UsageError, type Io } from '../args.js';
import { openBus, parseConnection } from './modbus-target.js';

const USAGE =
  'ems-commissioner probe (--host H [--port N] [--rtu-over-tcp] | --port PATH [--baud B] [--parity P] [--stopbits S]) --unit U --registers 0-99 [--fc 3|4] [--timeout MS] [--json]';

/** At most this many registers per probe: a screenful to judge, and a bounded number of requests. */
const MAX_REGISTERS = 1000;

/**
 * Reads a register range of a device nobody described and prints every plausible reading of each
 * word group (16/32-bit, signed/unsigned/float, each word and byte order, with scale), flagging what
 * looks like mains voltage, frequency, current or power: the first step of a map made on site.
 */
export async function probe(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      port: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      stopbits: { type: 'string' },
      host: { type: 'string' },
      unit: { type: 'string' },
      'rtu-over-tcp': { type: 'boolean' },
      timeout: { type: 'string' },
      registers: { type: 'string' },
      fc: { type: 'string' },
    },
    USAGE,
  );
  if (typeof values.registers !== 'string')
    throw new UsageError(`--registers is required (e.g. 0-99)\nusage: ${USAGE}`);
  const list = intList(values.registers, 'registers', 0, 0xffff);
  const start = Math.min(...list);
  const count = Math.max(...list) - start + 1;
  if (count > MAX_REGISTERS)
    throw new UsageError(`--registers spans ${count} registers; probe at most ${MAX_REGISTERS} at a time`);
  const fc = Number(oneOf(values.fc, 'fc', ['3', '4'] as const, '3')) as 3 | 4;
  const { unit, connection, timeoutMs } = parseConnection(values, undefined, 'host' in values ? 255 : 247);
  const bus = await openBus(connection, timeoutMs);
  try {
    const r = await probeRange(bus, unit, fc, start, count);
    const wanted = new Set(list);
    const rows = decodeTable(start, r.words).filter((x) => wanted.has(x.address));
    if (!rows.some((x) => x.word !== null))
      throw new OperationError(
        `unit ${unit} on ${bus.endpoint} returned none of registers ${values.registers} (fc ${fc}): ${r.refusals.map((x) => `${x.address}+${x.count} ${x.reason}`).join(', ')}`,
      );
    if (values.json) {
      io.out(
        JSON.stringify(
          { endpoint: bus.endpoint, unit, fc, start, requests: r.requests, refusals: r.refusals, rows },
          null,
          2,
        ),
      );
      return 0;
    }
    io.out(
      `unit ${unit} on ${bus.endpoint}, fc ${fc}, registers ${values.registers}: ${r.requests} request(s)`,
    );
    for (const line of formatTable(rows, fc)) io.out(line);
    for (const x of r.refusals) io.out(`  not read: ${x.address}..${x.address + x.count - 1} (${x.reason})`);
    return 0;
  } finally {
    await bus.close();
  }
}
