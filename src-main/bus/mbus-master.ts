import { Address, describeControl } from '../protocol/mbus/frame.js';
import { headerSecondaryAddress, type MbusHeader } from '../protocol/mbus/header.js';
import type { MbusRecord } from '../protocol/mbus/records.js';
import { reqUd2, selectSecondary, sndNke } from '../protocol/mbus/requests.js';
import { formatSecondaryAddress, type SecondaryAddress } from '../protocol/mbus/secondary-address.js';
import { decodeUserData, type BaudRate, type MbusUserData } from '../protocol/mbus/user-data.js';
import type { SerialSettings, Transport } from '../transport/transport.js';
import { MbusLink, type MbusLinkOptions, type MbusReply } from './mbus-link.js';
import {
  scanPrimary,
  scanSecondary,
  type MbusFoundMeter,
  type PrimaryScanOptions,
  type SecondaryScanOptions,
} from './mbus-scan.js';

export type MbusBusErrorCode =
  'timeout' | 'garbled' | 'bad-reply' | 'decode' | 'application-error' | 'too-many-telegrams';

export interface MbusBusErrorContext {
  endpoint: string;
  address?: number;
  secondaryAddress?: string;
  /** The request that failed, hex. */
  request?: string;
  /** What came back, hex. */
  reply?: string;
}

export class MbusBusError extends Error {
  constructor(
    readonly code: MbusBusErrorCode,
    message: string,
    readonly context: MbusBusErrorContext,
  ) {
    super(
      `${context.endpoint}${context.address === undefined ? '' : ` address ${context.address}`}: ${message}`,
    );
    this.name = 'MbusBusError';
  }
}

/** One complete readout of a meter, possibly over several telegrams. */
export interface MbusReading {
  /** Primary address the request went to (253 for a meter selected by secondary address). */
  address: number;
  /** The slave's own primary address, from the A field of its reply. */
  replyAddress: number;
  header?: MbusHeader;
  secondaryAddress?: string;
  /** Records of all telegrams in order; "more records follow" markers without data are dropped. */
  records: MbusRecord[];
  telegrams: MbusUserData[];
  /** Each telegram as received, hex (for bug reports and the decoder CLI). */
  raw: string[];
}

export interface MbusMasterOptions extends MbusLinkOptions {
  /** Extra attempts after a timeout or a garbled reply (EN 13757-2 suggests up to 2). */
  retries?: number;
  /** Upper bound on a multi-telegram readout, against slaves that always say "more follows". */
  maxTelegrams?: number;
}

export type ProbeResult = 'absent' | 'single' | 'collision';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

/** Serial settings of an M-Bus level converter: 8 data bits, even parity, 1 stop bit; 2400 baud unless told. */
export function mbusSerialSettings(path: string, baudRate: BaudRate = 2400): SerialSettings {
  return { path, baudRate, parity: 'even', dataBits: 8, stopBits: 1 };
}

/**
 * Wired M-Bus master over any Transport (2400 8E1 is the usual serial setting; 300–38400 work).
 * Every public method is queued, so callers may share one master per line freely.
 */
export class MbusMaster {
  readonly link: MbusLink;
  private readonly retries: number;
  private readonly maxTelegrams: number;
  /** Next FCB to send per primary address; reset to 1 by SND_NKE and by a selection. */
  private readonly fcb = new Map<number, boolean>();

  constructor(
    readonly transport: Transport,
    options: MbusMasterOptions = {},
  ) {
    this.link = new MbusLink(transport, options);
    this.retries = options.retries ?? 2;
    this.maxTelegrams = options.maxTelegrams ?? 16;
  }

  /** SND_NKE: true when the slave acknowledges with E5. */
  ping(address: number, retries = this.retries): Promise<boolean> {
    return this.link.enqueue(async () => (await this.sndNkeNow(address, retries)) === 'ack');
  }

  /** SND_NKE, then REQ_UD2 (FCB toggling) until the slave stops announcing more records. */
  read(address: number): Promise<MbusReading> {
    return this.link.enqueue(async () => {
      await this.sndNkeNow(address, 0);
      return this.readNow(address);
    });
  }

  /** Selects the meter by secondary address (no wildcards expected) and reads it at address 253. */
  readSecondary(address: SecondaryAddress): Promise<MbusReading> {
    return this.link.enqueue(async () => {
      const text = formatSecondaryAddress(address);
      const probe = await this.selectNow(address, this.retries);
      if (probe !== 'single') {
        const code = probe === 'absent' ? 'timeout' : 'garbled';
        const why =
          probe === 'absent'
            ? 'no slave acknowledged the selection'
            : 'several slaves answered the selection';
        throw new MbusBusError(code, why, { endpoint: this.transport.endpoint, secondaryAddress: text });
      }
      return this.readNow(Address.selected);
    });
  }

  /**
   * Sends a selection with `mask` (wildcards allowed) and reports who answered. Searches probe
   * without retries: a miss costs one response window per attempt, a search hundreds of probes.
   */
  probe(mask: SecondaryAddress, retries = 0): Promise<ProbeResult> {
    return this.link.enqueue(() => this.selectNow(mask, retries));
  }

  /**
   * Sends a command that the slave acknowledges with E5 (SND_UD: application reset, primary-address
   * write, baud-rate switch — see protocol/mbus/requests.ts). True when acknowledged.
   */
  command(request: Buffer, retries = this.retries): Promise<boolean> {
    return this.link.enqueue(async () => {
      for (let attempt = 0; attempt <= retries; attempt++) {
        if ((await this.link.exchange(request, 'frame')).kind === 'ack') return true;
      }
      return false;
    });
  }

  /** Reads the slave currently selected by secondary address (address 253) without selecting again. */
  readSelected(): Promise<MbusReading> {
    return this.link.enqueue(() => this.readNow(Address.selected));
  }

  scanPrimary(options: PrimaryScanOptions = {}): Promise<MbusFoundMeter[]> {
    return scanPrimary(this, options);
  }

  scanSecondary(options: SecondaryScanOptions = {}): Promise<MbusFoundMeter[]> {
    return scanSecondary(this, options);
  }

  private async sndNkeNow(address: number, retries: number): Promise<MbusReply['kind']> {
    let reply: MbusReply = { kind: 'timeout' };
    for (let attempt = 0; attempt <= retries; attempt++) {
      reply = await this.link.exchange(sndNke(address), 'frame');
      if (reply.kind === 'ack') break;
    }
    this.fcb.set(address, true);
    return reply.kind;
  }

  private async selectNow(mask: SecondaryAddress, retries: number): Promise<ProbeResult> {
    for (let attempt = 0; attempt <= retries; attempt++) {
      const reply = await this.link.exchange(selectSecondary(mask), 'strict');
      if (reply.kind === 'ack') {
        this.fcb.set(Address.selected, true);
        return 'single';
      }
      // Garbage is a collision, not line noise, when it comes back in the reply window: retrying
      // would only garble again.
      if (reply.kind === 'garbled' || reply.kind === 'frame') return 'collision';
    }
    return 'absent';
  }

  private async readNow(address: number): Promise<MbusReading> {
    const reading: MbusReading = { address, replyAddress: address, records: [], telegrams: [], raw: [] };
    for (let n = 0; n < this.maxTelegrams; n++) {
      const { frame, raw } = await this.requestTelegram(address);
      const ud = decodeUserData(frame.ci, frame.data);
      const context = { endpoint: this.transport.endpoint, address, reply: hex(raw) };
      if (!ud.ok) throw new MbusBusError('decode', `${ud.error.code}: ${ud.error.message}`, context);
      const u = ud.value;
      if (u.kind === 'application-error') throw new MbusBusError('application-error', u.message, context);
      if (u.kind !== 'variable' && u.kind !== 'fixed')
        throw new MbusBusError('bad-reply', `unexpected ${u.kind} reply`, context);
      reading.replyAddress = frame.address;
      reading.telegrams.push(u);
      reading.raw.push(hex(raw));
      if (u.kind === 'fixed') return reading;
      if (u.header && !reading.header) {
        reading.header = u.header;
        reading.secondaryAddress = formatSecondaryAddress(headerSecondaryAddress(u.header));
      }
      reading.records.push(
        ...u.records.filter((r) => !(r.type === 'manufacturer' && r.moreRecordsFollow && r.data === '')),
      );
      if (!u.moreRecordsFollow) return reading;
    }
    throw new MbusBusError(
      'too-many-telegrams',
      `still "more records follow" after ${this.maxTelegrams} telegrams`,
      {
        endpoint: this.transport.endpoint,
        address,
      },
    );
  }

  /** One REQ_UD2 with retries; the FCB toggles only after a good answer, so a retry asks for the same telegram. */
  private async requestTelegram(
    address: number,
  ): Promise<{ frame: { ci: number; data: Buffer; address: number }; raw: Buffer }> {
    const fcb = this.fcb.get(address) ?? true;
    const request = reqUd2(address, fcb);
    let last: MbusBusError | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const reply = await this.link.exchange(request, 'frame');
      const context = { endpoint: this.transport.endpoint, address, request: hex(request) };
      if (reply.kind === 'frame' && reply.frame.type !== 'short' && reply.frame.type !== 'ack') {
        const f = reply.frame;
        const fromSlave = describeControl(f.control).name === 'RSP_UD';
        const sameSlave = address > Address.maxSlave || f.address === address;
        if (fromSlave && sameSlave) {
          this.fcb.set(address, !fcb);
          const data = f.type === 'long' ? f.data : Buffer.alloc(0);
          return { frame: { ci: f.ci, data, address: f.address }, raw: reply.raw };
        }
        last = new MbusBusError(
          'bad-reply',
          `reply C 0x${f.control.toString(16)} from address ${f.address}`,
          { ...context, reply: hex(reply.raw) },
        );
      } else if (reply.kind === 'ack') {
        last = new MbusBusError('bad-reply', 'acknowledged REQ_UD2 with E5 instead of sending data', context);
      } else if (reply.kind === 'garbled') {
        last = new MbusBusError('garbled', reply.reason, { ...context, reply: hex(reply.raw) });
      } else {
        last = new MbusBusError('timeout', `no answer to REQ_UD2 after ${attempt + 1} attempt(s)`, context);
      }
    }
    throw last ?? new MbusBusError('timeout', 'no answer', { endpoint: this.transport.endpoint, address });
  }
}
