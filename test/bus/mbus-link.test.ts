import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MbusLink, MbusLinkClosedError } from '../../src-main/bus/mbus-link.js';
import { MbusMaster, mbusSerialSettings } from '../../src-main/bus/mbus-master.js';
import { encodeFrame } from '../../src-main/protocol/mbus/frame.js';
import { encodeInteger, encodeRecord, encodeVariableUserData } from '../../src-main/protocol/mbus/encode.js';
import { applicationReset, setPrimaryAddress, sndNke } from '../../src-main/protocol/mbus/requests.js';
import { charTimeMs, type Transport, type TransportEvents } from '../../src-main/transport/transport.js';

/** A transport whose "slave" is a function of the bytes written: no OS, no timing surprises. */
class ScriptedTransport implements Transport {
  readonly endpoint = 'scripted';
  readonly isOpen = true;
  readonly written: Buffer[] = [];
  private readonly ee = new EventEmitter();
  constructor(
    readonly charTimeMs: number,
    private readonly slave: (request: Buffer, n: number) => (Buffer | number)[],
  ) {}
  open(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.ee.emit('close', undefined);
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  write(data: Buffer): Promise<void> {
    this.written.push(data);
    // Each script step is bytes to send or a pause in ms, played after the request went out.
    let at = 2;
    for (const step of this.slave(data, this.written.length)) {
      if (typeof step === 'number') at += step;
      else setTimeout(() => this.ee.emit('data', step), at);
    }
    return Promise.resolve();
  }
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.on(event, listener);
  }
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.off(event, listener);
  }
}

const FAST = charTimeMs({ baudRate: 38400, parity: 'even', dataBits: 8, stopBits: 1 });
const ACK = Buffer.from([0xe5]);

function rspUd(address: number, value: number, more = false): Buffer {
  const header = { id: '00000042', manufacturer: 0x2c2d, version: 1, medium: 0x02 };
  const data = encodeVariableUserData(
    header,
    value & 0xff,
    0,
    [encodeRecord({ dif: 0x04, vif: 0x03, data: encodeInteger(value, 4) })],
    more,
  );
  return encodeFrame({ type: 'long', control: 0x08, address, ci: 0x72, data });
}

describe('MbusLink timing', () => {
  it('derives the response window from the character time: 330 bit times + 50 ms', () => {
    const at2400 = new MbusLink(
      new ScriptedTransport(
        charTimeMs({ baudRate: 2400, parity: 'even', dataBits: 8, stopBits: 1 }),
        () => [],
      ),
    );
    expect(at2400.responseTimeoutMs).toBe(Math.ceil(330 / 2.4 + 50));
    const at300 = new MbusLink(
      new ScriptedTransport(
        charTimeMs({ baudRate: 300, parity: 'even', dataBits: 8, stopBits: 1 }),
        () => [],
      ),
    );
    expect(at300.responseTimeoutMs).toBe(1150);
    // Network gateways report no character time; they get a latency margin instead.
    expect(new MbusLink(new ScriptedTransport(0, () => [])).responseTimeoutMs).toBe(300);
  });

  it('in strict mode a second reply inside the window turns a clean E5 into a collision', async () => {
    const link = new MbusLink(new ScriptedTransport(FAST, () => [ACK, 40, ACK]));
    const reply = await link.enqueue(() => link.exchange(sndNke(1), 'strict'));
    expect(reply.kind).toBe('garbled');
  });

  it('in frame mode noise before the reply is skipped', async () => {
    const link = new MbusLink(
      new ScriptedTransport(FAST, () => [Buffer.from([0x00, 0x55]), 20, rspUd(1, 7)]),
    );
    const reply = await link.enqueue(() => link.exchange(sndNke(1), 'frame'));
    expect(reply.kind).toBe('frame');
  });

  it('rejects when the transport closes during an exchange', async () => {
    const t = new ScriptedTransport(FAST, () => []);
    const link = new MbusLink(t);
    const pending = link.enqueue(() => link.exchange(sndNke(1), 'frame'));
    await new Promise((r) => setTimeout(r, 10));
    await t.close();
    await expect(pending).rejects.toBeInstanceOf(MbusLinkClosedError);
  });

  it('runs queued jobs one after another', async () => {
    const link = new MbusLink(new ScriptedTransport(FAST, () => [ACK]));
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(`${name} start`);
      await link.exchange(sndNke(1), 'frame');
      order.push(`${name} end`);
    };
    await Promise.all([link.enqueue(job('a')), link.enqueue(job('b'))]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});

describe('MbusMaster retries and FCB', () => {
  it('repeats REQ_UD2 with the same FCB after a garbled answer, then toggles it', async () => {
    const t = new ScriptedTransport(FAST, (req, n) => {
      if (req[0] === 0x10 && req[1] === 0x40) return [ACK];
      if (n === 2) return [Buffer.from([0x68, 0x05, 0x05, 0x68, 0x08, 0x01, 0x72, 0x00, 0x00, 0x00, 0x16])];
      return [rspUd(1, n, n === 3)];
    });
    const master = new MbusMaster(t, { retries: 2 });
    const reading = await master.read(1);
    expect(t.written.map((w) => w[1])).toEqual([0x40, 0x7b, 0x7b, 0x5b]);
    expect(reading.telegrams).toHaveLength(2);
    expect(reading.records.map((r) => r.type === 'data' && r.value)).toEqual([3, 4]);
  });

  it('gives up after the configured retries with a timeout error', async () => {
    const t = new ScriptedTransport(FAST, () => []);
    const master = new MbusMaster(t, { retries: 1 });
    await expect(master.read(9)).rejects.toMatchObject({ code: 'timeout' });
    expect(t.written).toHaveLength(3);
  });

  it('refuses an answer from another address', async () => {
    const t = new ScriptedTransport(FAST, (req) => (req[1] === 0x40 ? [ACK] : [rspUd(2, 1)]));
    await expect(new MbusMaster(t, { retries: 0 }).read(1)).rejects.toMatchObject({ code: 'bad-reply' });
  });

  it('reports an application error (CI 0x70) from the slave', async () => {
    const t = new ScriptedTransport(FAST, (req) =>
      req[1] === 0x40
        ? [ACK]
        : [encodeFrame({ type: 'long', control: 0x08, address: 1, ci: 0x70, data: Buffer.from([0x08]) })],
    );
    await expect(new MbusMaster(t).read(1)).rejects.toMatchObject({ code: 'application-error' });
  });

  it('stops a slave that never stops announcing more records', async () => {
    const t = new ScriptedTransport(FAST, (req, n) => (req[1] === 0x40 ? [ACK] : [rspUd(1, n, true)]));
    await expect(new MbusMaster(t, { maxTelegrams: 3 }).read(1)).rejects.toMatchObject({
      code: 'too-many-telegrams',
    });
  });
});

describe('MbusMaster commands', () => {
  it('sends a command and reports the acknowledgement', async () => {
    const t = new ScriptedTransport(FAST, (req) => (req[6] === 0x51 ? [ACK] : []));
    const master = new MbusMaster(t, { retries: 0 });
    expect(await master.command(setPrimaryAddress(1, 7))).toBe(true);
    expect(await master.command(applicationReset(1))).toBe(false);
  });

  it('describes the usual serial settings: 8E1 at 2400 baud', () => {
    expect(mbusSerialSettings('/dev/ttyUSB0')).toEqual({
      path: '/dev/ttyUSB0',
      baudRate: 2400,
      parity: 'even',
      dataBits: 8,
      stopBits: 1,
    });
    expect(mbusSerialSettings('/dev/ttyUSB0', 9600).baudRate).toBe(9600);
  });
});
