import { spawnSync } from 'node:child_process';
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { ReadStream } from 'node:tty';
import { ModbusBus } from '../src-main/bus/modbus-bus.js';
import { buildRtuFrame } from '../src-main/protocol/modbus/rtu-frame.js';
import { buildTcpFrame } from '../src-main/protocol/modbus/tcp-frame.js';
import { loadLibrary } from '../src-main/devices/library.js';
import { planReads } from '../src-main/drivers/read-plan.js';
import { freePort } from '../src-main/sim/demo-plant.js';
import { SerialTransport } from '../src-main/transport/serial.js';
import { TcpTransport } from '../src-main/transport/tcp.js';
import type { Transport } from '../src-main/transport/transport.js';
import { ptyPair, startPymodbus } from '../test/helpers/peers.js';
import { interleave, median, pairedResult, result, type Bench, type BenchResult } from './lib.js';

const REGS = 10;
/** Bytes of the reply to a read of REGS registers: MBAP header + unit + fc + count + data / RTU framing. */
const TCP_REPLY = 9 + 2 * REGS;
const RTU_REPLY = 5 + 2 * REGS;
/** Transactions before the clock starts: the figure is the steady-state rate a poller sees. */
const WARM = 2000;

/**
 * The turnaround of a request/reply loop: from a reply's bytes reaching the client to its next request
 * being written. The loop waits on its peer for the rest of a transaction, so this is what the client
 * itself adds on the critical path — a steadier figure than a rate on a host whose speed swings.
 */
class Turnaround {
  private readAt = 0;
  private readonly gaps: number[] = [];

  read(): void {
    this.readAt = performance.now();
  }

  write(): void {
    if (this.readAt) this.gaps.push(performance.now() - this.readAt);
    this.readAt = 0;
  }

  /** The median of the last `n` turnarounds (the measured transactions, not the warm-up), µs. */
  medianUs(n: number): number {
    return median(this.gaps.slice(-n)) * 1000;
  }

  /** The transport as the bus sees it, noting when a chunk reaches the bus and when a request leaves. */
  around(inner: Transport): Transport {
    const wrapped = new Map<unknown, unknown>();
    return {
      get endpoint() {
        return inner.endpoint;
      },
      get isOpen() {
        return inner.isOpen;
      },
      get charTimeMs() {
        return inner.charTimeMs;
      },
      open: () => inner.open(),
      close: () => inner.close(),
      flush: () => inner.flush(),
      write: (data) => {
        this.write();
        return inner.write(data);
      },
      on: (event, listener) => {
        if (event !== 'data') return inner.on(event, listener);
        const data = listener as (chunk: Buffer) => void;
        const noted = (chunk: Buffer): void => {
          this.read();
          data(chunk);
        };
        wrapped.set(listener, noted);
        inner.on('data', noted);
      },
      off: (event, listener) => inner.off(event, (wrapped.get(listener) ?? listener) as typeof listener),
    };
  }
}

/** Requests per poll cycle for each model: coalesced blocks vs one request per signal. */
function coalescing(): BenchResult[] {
  return loadLibrary().all.map((m) => {
    const blocks = planReads(m.signals, { maxRegisters: m.maxRegistersPerRead }).length;
    return result(
      `poll.requests_per_cycle.${m.id}`,
      'requests',
      [blocks],
      'one request per signal',
      [m.signals.length],
      `${m.signals.length} signals`,
    );
  });
}

async function ourRate(transport: Transport, framing: 'tcp' | 'rtu', n: number): Promise<number> {
  const bus = new ModbusBus(transport, {
    framing,
    timeoutMs: 1000,
    interRequestDelayMs: 0,
    reconnect: false,
  });
  await bus.open();
  try {
    for (let i = 0; i < WARM; i++) await bus.readRegisters(1, 3, 0, REGS);
    const started = performance.now();
    for (let i = 0; i < n; i++) await bus.readRegisters(1, 3, 0, REGS);
    return n / ((performance.now() - started) / 1000);
  } finally {
    await bus.close();
  }
}

/**
 * The floor of any Node client on this machine: the same requests over the same socket with nothing
 * but a write and a byte count per transaction (no bus, no parsing, no monitor, no timeouts). What the
 * bus costs beyond it is ours; what this loop misses of mbpoll is the runtime's.
 */
async function bareTcpRate(port: number, n: number, turn?: Turnaround): Promise<number> {
  let resolve: () => void = () => undefined;
  let got = 0;
  const rx = Buffer.allocUnsafe(16 * 1024);
  const onread = {
    buffer: rx,
    callback: (bytes: number): boolean => {
      turn?.read();
      got += bytes;
      if (got >= TCP_REPLY) {
        got = 0;
        resolve();
      }
      return true;
    },
  };
  const socket = new Socket({ onread } as ConstructorParameters<typeof Socket>[0]);
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.connect(port, '127.0.0.1', r));
  const pdu = Buffer.from([3, 0, 0, 0, REGS]);
  const one = (id: number): Promise<void> =>
    new Promise<void>((r) => {
      resolve = r;
      turn?.write();
      socket.write(buildTcpFrame(id & 0xffff, 1, pdu));
    });
  try {
    for (let i = 0; i < WARM; i++) await one(i);
    const started = performance.now();
    for (let i = 0; i < n; i++) await one(i);
    return n / ((performance.now() - started) / 1000);
  } finally {
    socket.destroy();
  }
}

/**
 * The same floor over the pty, read the cheapest way Node offers: serialport's binding opens and
 * configures the port, Node's tty handle reads it into one buffer, write(2) sends the request.
 */
async function bareRtuRate(path: string, n: number, turn?: Turnaround): Promise<number> {
  const { SerialPort } = await import('serialport');
  const port = (await SerialPort.binding.open({
    path,
    baudRate: 9600,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
    lock: false,
  })) as Awaited<ReturnType<typeof SerialPort.binding.open>> & { fd: number; poller: { destroy(): void } };
  port.poller.destroy();
  let resolve: () => void = () => undefined;
  let got = 0;
  const onread = {
    buffer: Buffer.allocUnsafe(16 * 1024),
    callback: (bytes: number): boolean => {
      turn?.read();
      got += bytes;
      if (got >= RTU_REPLY) {
        got = 0;
        resolve();
      }
      return true;
    },
  };
  const stream = new ReadStream(port.fd, { onread } as object);
  stream.resume();
  const frame = buildRtuFrame(1, Buffer.from([3, 0, 0, 0, REGS]));
  const one = (): Promise<void> =>
    new Promise<void>((r) => {
      resolve = r;
      turn?.write();
      writeSync(port.fd, frame);
    });
  try {
    for (let i = 0; i < WARM; i++) await one();
    const started = performance.now();
    for (let i = 0; i < n; i++) await one();
    return n / ((performance.now() - started) / 1000);
  } finally {
    // The tty handle owns the descriptor now: closing it closes the port.
    await new Promise<void>((r) => stream.destroy().once('close', () => r()));
  }
}

/** libmodbus (mbpoll) doing n transactions in one process; its start-up time is measured and removed. */
function mbpollRate(args: string[], target: string, n: number): number {
  const run = (count: number): number => {
    const started = performance.now();
    const r = spawnSync(
      'mbpoll',
      [...args, '-a', Array(count).fill('1').join(','), '-r', '0', '-0', '-c', String(REGS), '-1', target],
      // ~150 bytes printed per transaction: well past spawnSync's 1 MiB default at 10,000.
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const ms = performance.now() - started;
    if (r.status !== 0 || r.stdout.includes('failed'))
      throw new Error(`mbpoll failed: ${r.stderr || r.stdout.slice(0, 200)}`);
    return ms;
  };
  const one = run(1);
  const many = run(n + 1);
  return n / (Math.max(1, many - one) / 1000);
}

/** Our turnaround against the bare loop's, in runs of their own (timing every transaction costs a little). */
function turnaroundResult(name: string, turn: { ours: number[]; bare: number[] }, n: number): BenchResult {
  return pairedResult(
    name,
    'µs',
    turn.ours,
    "the bare Node loop: its read callback to its next request's write",
    turn.bare,
    `median per run of the time from a reply's bytes reaching the bus (after the transport's copy) to the next request handed to the transport, ${n} transactions per run; no goal of its own: the part of a transaction the client adds on the critical path`,
  );
}

export const poll: Bench = async (ctx) => {
  const out = coalescing();
  // Long runs (~1 s each on TCP): a short one moved with every hiccup of the host. Many rounds, in
  // alternating order: this host's speed swings within seconds as well as minutes (one round's ratio
  // 0.76–1.2 within one full run), and with seven rounds the median still moved by ±5 % between runs.
  const n = ctx.quick ? 1000 : 10_000;
  const runs = ctx.quick ? 3 : 31;
  // Turnarounds move little from run to run (medians of thousands of transactions each).
  const turnRuns = ctx.quick ? 3 : 7;
  // Medians of interleaved runs (ours, the bare loop, mbpoll, ours …), each with its spread.
  const regs = { 1: { hr: { 0: Array.from({ length: REGS }, (_, i) => i + 1) } } };

  const port = await freePort();
  const tcpSlave = await startPymodbus({ tcp: port }, regs);
  try {
    const r = await interleave(
      runs,
      {
        ours: () => ourRate(new TcpTransport({ host: '127.0.0.1', port }), 'tcp', n),
        bare: () => bareTcpRate(port, n),
        mbpoll: () => mbpollRate(['-m', 'tcp', '-p', String(port)], '127.0.0.1', n),
      },
      { alternate: true },
    );
    ctx.log(
      `poll tcp: ours ${Math.round(median(r.ours))} tx/s, bare loop ${Math.round(median(r.bare))}, mbpoll ${Math.round(median(r.mbpoll))}`,
    );
    const what = `read ${REGS} holding registers, ${n} transactions per run`;
    out.push(
      pairedResult(
        'poll.tcp_transactions_per_s',
        'tx/s',
        r.ours,
        'mbpoll (libmodbus), same pymodbus slave',
        r.mbpoll,
        what,
      ),
      pairedResult(
        'poll.tcp_bare_node_loop_transactions_per_s',
        'tx/s',
        r.bare,
        'mbpoll (libmodbus), same pymodbus slave',
        r.mbpoll,
        `the floor of a Node client: ${what} with a write and a byte count per transaction, no bus`,
      ),
    );
    const turn = await interleave(
      turnRuns,
      {
        ours: async () => {
          const t = new Turnaround();
          await ourRate(t.around(new TcpTransport({ host: '127.0.0.1', port })), 'tcp', n);
          return t.medianUs(n);
        },
        bare: async () => {
          const t = new Turnaround();
          await bareTcpRate(port, n, t);
          return t.medianUs(n);
        },
      },
      { alternate: true },
    );
    out.push(turnaroundResult('poll.tcp_turnaround_us', turn, n));
  } finally {
    tcpSlave.stop();
  }

  const pty = await ptyPair();
  const rtuSlave = await startPymodbus({ serial: pty.b }, regs);
  try {
    const serial = (): Transport =>
      new SerialTransport({ path: pty.a, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    const rn = Math.round(n / 4);
    const r = await interleave(
      runs,
      {
        ours: () => ourRate(serial(), 'rtu', rn),
        bare: () => bareRtuRate(pty.a, rn),
        mbpoll: () => mbpollRate(['-m', 'rtu', '-b', '9600', '-P', 'none', '-o', '1'], pty.a, rn),
      },
      { alternate: true },
    );
    ctx.log(
      `poll rtu/pty: ours ${Math.round(median(r.ours))} tx/s, bare loop ${Math.round(median(r.bare))}, mbpoll ${Math.round(median(r.mbpoll))}`,
    );
    const what = `read ${REGS} holding registers over a socat pty (no baud limit), ${rn} transactions per run`;
    out.push(
      pairedResult(
        'poll.rtu_pty_transactions_per_s',
        'tx/s',
        r.ours,
        'mbpoll (libmodbus), same pymodbus slave',
        r.mbpoll,
        what,
      ),
      pairedResult(
        'poll.rtu_pty_bare_node_loop_transactions_per_s',
        'tx/s',
        r.bare,
        'mbpoll (libmodbus), same pymodbus slave',
        r.mbpoll,
        `the floor of a Node client: ${what} with one write(2) and the tty handle's reads, no bus`,
      ),
    );
    const turn = await interleave(
      turnRuns,
      {
        ours: async () => {
          const t = new Turnaround();
          await ourRate(t.around(serial()), 'rtu', rn);
          return t.medianUs(rn);
        },
        bare: async () => {
          const t = new Turnaround();
          await bareRtuRate(pty.a, rn, t);
          return t.medianUs(rn);
        },
      },
      { alternate: true },
    );
    out.push(turnaroundResult('poll.rtu_pty_turnaround_us', turn, rn));
  } finally {
    rtuSlave.stop();
    pty.close();
  }
  return out;
};
