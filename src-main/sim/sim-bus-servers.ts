import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import { crc16Modbus } from '../protocol/modbus/crc16.js';
import { buildRtuFrame } from '../protocol/modbus/rtu-frame.js';
import { buildTcpFrame } from '../protocol/modbus/tcp-frame.js';
import { charTimeMs, type Parity } from '../transport/transport.js';
import type { SimulatedBus } from './sim-bus.js';

export interface RunningBus {
  bus: SimulatedBus;
  endpoint: string;
  stop(): Promise<void>;
}

/** Length of the RTU request starting at `at`, from its function code; undefined if unknown. */
function requestLength(buf: Buffer, at: number): number | undefined {
  const fc = buf[at + 1];
  if (fc === undefined) return undefined;
  if ((fc >= 1 && fc <= 6) || fc === 8) return 8;
  if (fc === 15 || fc === 16) {
    const n = buf[at + 6];
    return n === undefined ? undefined : 9 + n;
  }
  return undefined;
}

/**
 * Collects RTU request bytes and cuts frames at the inter-frame silence, as a slave on a real line
 * does. Frames that arrived together (a busy machine can miss a silence) are split by their
 * function code's length; bytes that form no frame with a good CRC are dropped unanswered. A frame
 * still arriving is kept: on a line at wire speed a stalled process can see a "silence" mid-frame.
 */
class RtuRequestFramer {
  private buf: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly silenceMs: number,
    private readonly onFrame: (unit: number, pdu: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf.push(chunk);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.cut(), this.silenceMs);
  }

  private cut(): void {
    const data = Buffer.concat(this.buf);
    this.buf = [];
    let at = 0;
    let partial: number | undefined;
    while (data.length - at >= 4) {
      const len = requestLength(data, at);
      if (len !== undefined && at + len > data.length) partial ??= at;
      if (
        len !== undefined &&
        at + len <= data.length &&
        crc16Modbus(data, at, at + len - 2) === data.readUInt16LE(at + len - 2)
      ) {
        this.onFrame(data[at] ?? 0, Buffer.from(data.subarray(at + 1, at + len - 2)));
        at += len;
        partial = undefined;
      } else at++;
    }
    // The earliest request that may still be arriving, or the last bytes too short to tell.
    const keep = data.subarray(partial ?? at);
    if (keep.length) this.buf.push(Buffer.from(keep.subarray(Math.max(0, keep.length - 260))));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Serves a simulated bus as RTU slaves on a serial port (e.g. one end of a socat pty pair). */
export function serveSerialBus(
  bus: SimulatedBus,
  path: string,
  baudRate = 9600,
  parity: Parity = 'none',
): Promise<RunningBus> {
  const port = new SerialPort({ path, baudRate, parity, autoOpen: false, lock: false });
  const silence = Math.max(2, Math.ceil(3.5 * charTimeMs({ baudRate, parity, dataBits: 8, stopBits: 1 })));
  const framer = new RtuRequestFramer(silence, (unit, pdu) => {
    void bus.answer(unit, pdu).then((reply) => {
      if (reply && port.isOpen) port.write(buildRtuFrame(unit, reply));
    });
  });
  port.on('data', (chunk: Buffer) => framer.push(chunk));
  port.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    port.open((err) => {
      if (err) {
        reject(new Error(`simulator cannot open ${path}: ${err.message}`));
        return;
      }
      resolve({
        bus,
        endpoint: `${path}@${baudRate}`,
        stop: () =>
          new Promise((done) => {
            framer.stop();
            if (port.isOpen) port.close(() => done());
            else done();
          }),
      });
    });
  });
}

/** Serves a simulated bus on TCP: Modbus TCP (MBAP) like a gateway, or RTU frames over TCP. */
export function serveTcpBus(
  bus: SimulatedBus,
  port: number,
  o: { host?: string; framing?: 'tcp' | 'rtu-over-tcp' } = {},
): Promise<RunningBus> {
  const host = o.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (o.framing === 'rtu-over-tcp') {
      const framer = new RtuRequestFramer(3, (unit, pdu) => {
        void bus.answer(unit, pdu).then((reply) => {
          if (reply && !socket.destroyed) socket.write(buildRtuFrame(unit, reply));
        });
      });
      socket.on('data', (chunk) => framer.push(chunk));
      socket.on('close', () => framer.stop());
      return;
    }
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 7) {
        const len = buf.readUInt16BE(4);
        if (buf.length < 6 + len) break;
        const tx = buf.readUInt16BE(0);
        const unit = buf[6] ?? 0;
        const pdu = Buffer.from(buf.subarray(7, 6 + len));
        buf = buf.subarray(6 + len);
        void bus.answer(unit, pdu).then((reply) => {
          if (reply && !socket.destroyed) socket.write(buildTcpFrame(tx, unit, reply));
        });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        bus,
        endpoint: `tcp://${host}:${port}`,
        stop: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
