import { spawnSync } from 'node:child_process';
import { ModbusBus } from '../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../src-main/devices/library.js';
import { planReads } from '../src-main/drivers/read-plan.js';
import { freePort } from '../src-main/sim/demo-plant.js';
import { SerialTransport } from '../src-main/transport/serial.js';
import { TcpTransport } from '../src-main/transport/tcp.js';
import type { Transport } from '../src-main/transport/transport.js';
import { ptyPair, startPymodbus } from '../test/helpers/peers.js';
import { result, type Bench, type BenchResult } from './lib.js';

const REGS = 10;

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
    // Warm the JIT first: the figure is the steady-state rate a poller sees, not start-up.
    for (let i = 0; i < Math.min(500, n); i++) await bus.readRegisters(1, 3, 0, REGS);
    const started = performance.now();
    for (let i = 0; i < n; i++) await bus.readRegisters(1, 3, 0, REGS);
    return n / ((performance.now() - started) / 1000);
  } finally {
    await bus.close();
  }
}

/** libmodbus (mbpoll) doing n transactions in one process; its start-up time is measured and removed. */
function mbpollRate(args: string[], target: string, n: number): number {
  const run = (count: number): number => {
    const started = performance.now();
    const r = spawnSync(
      'mbpoll',
      [...args, '-a', Array(count).fill('1').join(','), '-r', '0', '-0', '-c', String(REGS), '-1', target],
      {
        encoding: 'utf8',
      },
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

/** ours, baseline, ours, baseline …: a change in the machine's load touches both alike. */
async function interleaved(
  runs: number,
  ours: () => Promise<number>,
  theirs: () => number,
): Promise<{ ours: number[]; theirs: number[] }> {
  const out = { ours: [] as number[], theirs: [] as number[] };
  for (let i = 0; i < runs; i++) {
    out.ours.push(await ours());
    out.theirs.push(theirs());
  }
  return out;
}

export const poll: Bench = async (ctx) => {
  const out = coalescing();
  const n = ctx.quick ? 500 : 2000;
  const runs = ctx.quick ? 3 : 5;
  // Medians of interleaved runs (ours, mbpoll, ours, mbpoll …), each with its spread.
  const regs = { 1: { hr: { 0: Array.from({ length: REGS }, (_, i) => i + 1) } } };

  const port = await freePort();
  const tcpSlave = await startPymodbus({ tcp: port }, regs);
  try {
    const { ours, theirs } = await interleaved(
      runs,
      () => ourRate(new TcpTransport({ host: '127.0.0.1', port }), 'tcp', n),
      () => mbpollRate(['-m', 'tcp', '-p', String(port)], '127.0.0.1', n),
    );
    ctx.log(`poll tcp: ours ${Math.round(ours[0] ?? 0)} tx/s, mbpoll ${Math.round(theirs[0] ?? 0)} tx/s`);
    out.push(
      result(
        'poll.tcp_transactions_per_s',
        'tx/s',
        ours,
        'mbpoll (libmodbus), same pymodbus slave',
        theirs,
        `read ${REGS} holding registers`,
      ),
    );
  } finally {
    tcpSlave.stop();
  }

  const pty = await ptyPair();
  const rtuSlave = await startPymodbus({ serial: pty.b }, regs);
  try {
    const serial = (): Transport =>
      new SerialTransport({ path: pty.a, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 });
    const rn = Math.round(n / 4);
    const { ours, theirs } = await interleaved(
      runs,
      () => ourRate(serial(), 'rtu', rn),
      () => mbpollRate(['-m', 'rtu', '-b', '9600', '-P', 'none', '-o', '1'], pty.a, rn),
    );
    ctx.log(`poll rtu/pty: ours ${Math.round(ours[0] ?? 0)} tx/s, mbpoll ${Math.round(theirs[0] ?? 0)} tx/s`);
    out.push(
      result(
        'poll.rtu_pty_transactions_per_s',
        'tx/s',
        ours,
        'mbpoll (libmodbus), same pymodbus slave',
        theirs,
        `read ${REGS} holding registers over a socat pty (no baud limit)`,
      ),
    );
  } finally {
    rtuSlave.stop();
    pty.close();
  }
  return out;
};
