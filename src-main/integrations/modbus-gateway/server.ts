import { createServer, type Server, type Socket } from 'node:net';
import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import type { GatewayUnitView } from '../../../src-preload/contract/views-integrations.js';
import { lineKey } from '../../bus/bus-registry.js';
import { ModbusError } from '../../bus/errors.js';
import type { ModbusBus } from '../../bus/modbus-bus.js';
import { lineOf } from '../../commissioning/service.js';
import { planReads } from '../../drivers/read-plan.js';
import type { Engine } from '../../engine.js';
import { buildTcpFrame, TcpResponseParser } from '../../protocol/modbus/tcp-frame.js';
import { logger } from '../../util/log.js';
import type { GatewaySettings } from '../settings.js';
import { IntegrationState, type Integration, type IntegrationStatus } from '../status.js';
import { RegisterCache } from './register-cache.js';
import { assignUnits } from './unit-map.js';

const log = logger('modbus-gateway');
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MAX_CLIENTS = 32;

const EX = {
  illegalFunction: 1,
  illegalAddress: 2,
  illegalValue: 3,
  pathUnavailable: 0x0a,
  noResponse: 0x0b,
};

interface Exposed {
  view: GatewayUnitView;
  uid: number;
  busKey: string;
  busUnit: number;
  pollMs: number;
  /** fc → registers polling reads (the read plan's blocks, gaps included). */
  polled: { 3: Set<number>; 4: Set<number> };
  cache: RegisterCache;
}

/**
 * Modbus TCP server in front of the meters the engine polls: each Modbus device at its own unit id
 * (moved to 101+ on a clash) with its model's register layout. Reads of registers that polling reads
 * are answered from the latest poll; anything else is forwarded onto the device's bus through the
 * bus's own queue, so polling and gateway clients never talk over each other. Read-only unless writes
 * are enabled for the device. Framing is the project's MBAP code (protocol/modbus/tcp-frame).
 */
export class ModbusGateway implements Integration {
  readonly state = new IntegrationState('modbusGateway');
  private readonly units = new Map<number, Exposed>();
  private readonly sockets = new Set<Socket>();
  private readonly offs: (() => void)[] = [];
  private server: Server | undefined;

  constructor(
    private readonly s: GatewaySettings,
    private readonly engine: Engine,
  ) {}

  async start(): Promise<void> {
    if (!LOOPBACK.has(this.s.host) && !this.s.allowRemote)
      throw new Error(
        `refusing to serve Modbus on ${this.s.host}: only loopback by default (pass --allow-remote to expose it)`,
      );
    this.mapUnits();
    const watch = (key: string, bus: ModbusBus): void => {
      this.offs.push(
        bus.onRegisters((r) => {
          for (const e of this.units.values()) if (e.busKey === key && e.busUnit === r.unit) e.cache.put(r);
        }),
      );
    };
    for (const { key, bus } of this.engine.buses.all()) watch(key, bus);
    this.engine.buses.on('added', watch);
    this.offs.push(() => this.engine.buses.off('added', watch));
    // Devices added, removed or edited while the gateway runs show up within seconds.
    this.remapTimer = setInterval(() => this.mapUnits(), 5000);
    this.remapTimer.unref();
    const server = createServer((sock) => this.accept(sock));
    server.maxConnections = MAX_CLIENTS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.s.port, this.s.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.state.fail(err));
    this.server = server;
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : this.s.port;
    this.state.target = `${this.s.host.includes(':') ? `[${this.s.host}]` : this.s.host}:${port}`;
    this.state.connected = true;
    log.info(
      {
        listen: this.state.target,
        units: [...this.units.values()].map((e) => `${e.view.unit}→${e.view.label} (bus unit ${e.busUnit})`),
      },
      'Modbus gateway listening',
    );
  }

  /** Port actually bound (useful with port 0). */
  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : this.s.port;
  }

  private mappedAt = 0;
  private remapTimer: NodeJS.Timeout | undefined;

  /** (Re)builds the unit map from the configuration; a device keeps its cached registers across rebuilds. */
  private mapUnits(): void {
    const old = new Map([...this.units.values()].map((e) => [e.uid, e.cache]));
    const before = new Map([...this.units.entries()].map(([u, e]) => [e.uid, u]));
    this.units.clear();
    this.mappedAt = Date.now();
    const devices = this.engine.store.config
      .devices()
      .filter((d) => (d.protocol === 'rtu' || d.protocol === 'tcp') && d.model);
    const byUid = new Map(devices.map((d) => [d.uid, d]));
    const assigned = assignUnits(
      devices.map((d) => ({ uid: d.uid, busUnit: (d.connection as RtuConnection | TcpConnection).unit })),
    );
    for (const a of assigned) {
      const d = byUid.get(a.uid);
      if (!d) continue;
      const conn = d.connection as RtuConnection | TcpConnection;
      const model = this.engine.library.get(conn.model);
      if (!model) continue;
      const keys = new Set(
        this.engine.store.config
          .signals({ did: d.uid })
          .filter((x) => x.enable)
          .map((x) => x.key),
      );
      const polled = { 3: new Set<number>(), 4: new Set<number>() };
      if (d.enable)
        for (const b of planReads(
          model.signals.filter((x) => keys.has(x.key)),
          { maxRegisters: model.maxRegistersPerRead },
        ))
          for (let r = b.address; r < b.address + b.count; r++) polled[b.fc].add(r);
      this.units.set(a.unit, {
        uid: d.uid,
        busKey: lineKey(lineOf(conn)),
        busUnit: conn.unit,
        pollMs: d.pollMs,
        polled,
        cache: old.get(d.uid) ?? new RegisterCache(),
        view: {
          unit: a.unit,
          deviceUid: d.uid,
          label: d.label,
          model: model.id,
          busUnit: conn.unit,
          writable: this.s.writable.includes(d.uid),
        },
      });
      if (a.moved && before.get(d.uid) !== a.unit)
        log.warn(
          { device: d.uid, label: d.label, busUnit: conn.unit, unit: a.unit },
          'unit id shared with another device: exposed at another unit id',
        );
    }
  }

  private accept(sock: Socket): void {
    this.sockets.add(sock);
    const parser = new TcpResponseParser();
    // Requests of one client are answered in order: a forwarded read waits for the bus before the next.
    let chain = Promise.resolve();
    sock.setNoDelay(true);
    sock.on('data', (chunk) => {
      for (const ev of parser.push(chunk)) {
        if (ev.kind === 'garbage') {
          // A stream with a broken MBAP header cannot be resynchronised: close it like a real server.
          sock.destroy();
          return;
        }
        chain = chain.then(async () => {
          const reply = await this.handle(ev.unit, ev.pdu);
          if (!sock.destroyed) sock.write(buildTcpFrame(ev.transactionId, ev.unit, reply));
        });
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => this.sockets.delete(sock));
  }

  /** One request PDU → one reply PDU (an exception where the request cannot be served). */
  async handle(unit: number, pdu: Buffer): Promise<Buffer> {
    this.state.sent++;
    const fc = pdu[0] ?? 0;
    const ex = (code: number): Buffer => Buffer.from([(fc | 0x80) & 0xff, code]);
    if (!this.units.has(unit) && Date.now() - this.mappedAt > 1000) this.mapUnits();
    const e = this.units.get(unit);
    if (!e) return ex(EX.noResponse);
    if (fc === 3 || fc === 4) {
      if (pdu.length !== 5) return ex(EX.illegalValue);
      const address = pdu.readUInt16BE(1);
      const count = pdu.readUInt16BE(3);
      if (count < 1 || count > 125) return ex(EX.illegalValue);
      if (address + count > 0x10000) return ex(EX.illegalAddress);
      const polled = e.polled[fc];
      let all = true;
      for (let a = address; a < address + count && all; a++) all = polled.has(a);
      if (all) {
        const fresh = e.cache.get(fc, address, count, Date.now() - Math.max(5000, 3 * e.pollMs));
        if (fresh) return registersReply(fc, fresh);
      }
      return this.forward(e, pdu, ex);
    }
    if (fc === 6 || fc === 16) {
      if (!e.view.writable) return ex(EX.illegalFunction);
      if (
        (fc === 6 && pdu.length !== 5) ||
        (fc === 16 && (pdu.length < 8 || pdu.length !== 6 + (pdu[5] ?? 0)))
      )
        return ex(EX.illegalValue);
      return this.forward(e, pdu, ex);
    }
    return ex(EX.illegalFunction);
  }

  private async forward(e: Exposed, pdu: Buffer, ex: (code: number) => Buffer): Promise<Buffer> {
    const bus = this.engine.buses.find(e.busKey);
    if (!bus) return ex(EX.pathUnavailable);
    try {
      const r = await bus.request(e.busUnit, Buffer.from(pdu));
      if (r.kind === 'registers') {
        const fc = pdu[0] as 3 | 4;
        // What a client read goes into the cache too: it is as fresh as any poll.
        e.cache.put({ fc, address: pdu.readUInt16BE(1), values: r.values, t: Date.now() });
        return registersReply(fc, r.values);
      }
      return Buffer.from(pdu.subarray(0, 5));
    } catch (err) {
      if (err instanceof ModbusError) {
        if (err.kind === 'exception' && err.exceptionCode !== undefined) return ex(err.exceptionCode);
        this.state.fail(err);
        return ex(err.kind === 'timeout' ? EX.noResponse : EX.pathUnavailable);
      }
      this.state.fail(err);
      return ex(EX.pathUnavailable);
    }
  }

  status(): IntegrationStatus {
    return { ...this.state.snapshot(true), units: [...this.units.values()].map((e) => e.view) };
  }

  async stop(): Promise<void> {
    clearInterval(this.remapTimer);
    for (const off of this.offs) off();
    for (const s of this.sockets) s.destroy();
    this.state.connected = false;
    const srv = this.server;
    if (srv) await new Promise<void>((r) => srv.close(() => r()));
  }
}

function registersReply(fc: 3 | 4, values: readonly number[]): Buffer {
  const b = Buffer.alloc(2 + values.length * 2);
  b[0] = fc;
  b[1] = values.length * 2;
  values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, 2 + i * 2));
  return b;
}

export async function startGateway(s: GatewaySettings, engine: Engine): Promise<Integration> {
  const g = new ModbusGateway(s, engine);
  await g.start();
  return g;
}
