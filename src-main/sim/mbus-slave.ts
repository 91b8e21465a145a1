import {
  encodeBcd,
  encodeDateTimeF,
  encodeInteger,
  encodeRecord,
  encodeVariableUserData,
} from '../protocol/mbus/encode.js';
import { Address, Control, describeControl, encodeFrame, type MbusFrame } from '../protocol/mbus/frame.js';
import { encodeManufacturer } from '../protocol/mbus/manufacturer.js';
import { MbusFrameParser } from '../protocol/mbus/parser.js';
import { secondaryAddressMatches, type SecondaryAddress } from '../protocol/mbus/secondary-address.js';
import { Ci, decodeUserData } from '../protocol/mbus/user-data.js';
import type { Transport } from '../transport/transport.js';

export interface SimMbusMeter {
  primaryAddress: number;
  /** 8-digit identification number. */
  id: string;
  /** Three-letter manufacturer code. */
  manufacturer: string;
  version?: number;
  /** Defaults to 0x02 (electricity) or 0x04 (heat) from `kind`. */
  medium?: number;
  kind: 'electricity' | 'heat';
  /** Spread the records over this many telegrams, linked by DIF 0x1F "more records follow". */
  telegrams?: number;
}

export interface MbusSlaveOptions {
  /** Delay before answering; a real slave waits at least 11 bit times. */
  replyDelayMs?: number;
  /** Clock for the simulated values (tests pass a fixed one). */
  now?: () => number;
}

export interface MbusSlaveHandle {
  stop(): void;
  /** Frames the simulator received, for assertions about what the master sent. */
  readonly received: MbusFrame[];
}

interface MeterState {
  config: SimMbusMeter;
  address: SecondaryAddress;
  primary: number;
  selected: boolean;
  accessNumber: number;
  /** FCB of the last REQ_UD2 answered, undefined after SND_NKE. */
  lastFcb: boolean | undefined;
  lastPart: number;
  startedAt: number;
}

/**
 * A byte-level M-Bus slave (one or several meters on one line) for tests and demos. It answers
 * SND_NKE, REQ_UD2 (multi-telegram with FCB), selection by secondary address with wildcards and
 * primary-address writes. When several meters would answer at once it sends garbled bytes, as
 * overlapping replies look on a real bus.
 */
export function startMbusSlave(
  transport: Transport,
  meters: readonly SimMbusMeter[],
  options: MbusSlaveOptions = {},
): MbusSlaveHandle {
  const now = options.now ?? Date.now;
  const delay = options.replyDelayMs ?? 5;
  const states: MeterState[] = meters.map((m) => ({
    config: m,
    address: {
      id: m.id,
      manufacturer: encodeManufacturer(m.manufacturer) ?? 0,
      version: m.version ?? 1,
      medium: m.medium ?? (m.kind === 'electricity' ? 0x02 : 0x04),
    },
    primary: m.primaryAddress,
    selected: false,
    accessNumber: 0,
    lastFcb: undefined,
    lastPart: 0,
    startedAt: now(),
  }));
  const parser = new MbusFrameParser();
  const received: MbusFrame[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = (bytes: Buffer): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (transport.isOpen) transport.write(bytes).catch(() => undefined);
    }, delay);
    timers.add(t);
  };

  const answer = (who: MeterState[], reply: (s: MeterState) => Buffer): void => {
    if (who.length === 0) return;
    const first = who[0];
    if (who.length === 1 && first) send(reply(first));
    // Overlapping UART characters from several slaves: what arrives is no valid frame.
    else send(Buffer.from(who.flatMap(() => [0xe5 ^ 0x1a, 0x7f])));
  };

  const addressed = (address: number): MeterState[] => {
    if (address === Address.selected) return states.filter((s) => s.selected);
    if (address === Address.broadcastReply) return states;
    return states.filter((s) => s.primary === address);
  };

  const onFrame = (frame: MbusFrame): void => {
    received.push(frame);
    if (frame.type === 'ack') return;
    const c = describeControl(frame.control);
    if (!c.fromMaster || frame.address === Address.broadcastNoReply) return;
    const who = addressed(frame.address);
    if (frame.type === 'short' && c.name === 'SND_NKE') {
      for (const s of who) s.lastFcb = undefined;
      answer(who, ack);
    } else if (frame.type === 'short' && c.name === 'REQ_UD2') {
      answer(who, (s) => telegram(s, c.fcb, now()));
    } else if (frame.type === 'long' && c.name === 'SND_UD') {
      const ud = decodeUserData(frame.ci, frame.data);
      if (!ud.ok) return;
      const u = ud.value;
      if (u.kind === 'select' && frame.address === Address.selected) {
        for (const s of states) {
          s.selected = frame.ci === Ci.select && secondaryAddressMatches(u.mask, s.address);
          if (s.selected) s.lastFcb = undefined;
        }
        answer(
          states.filter((s) => s.selected),
          ack,
        );
      } else if (u.kind === 'application-reset') {
        answer(who, ack);
      } else if (u.kind === 'data-send') {
        const newAddress = u.records.find((r) => r.type === 'data' && r.quantity === 'bus_address');
        answer(who, (s) => {
          if (newAddress?.type === 'data' && typeof newAddress.value === 'number')
            s.primary = newAddress.value;
          return ack();
        });
      }
    }
  };

  const onData = (chunk: Buffer): void => {
    for (const ev of parser.push(chunk)) if (ev.kind === 'frame') onFrame(ev.frame);
  };
  transport.on('data', onData);

  return {
    received,
    stop(): void {
      transport.off('data', onData);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

function ack(): Buffer {
  return encodeFrame({ type: 'ack' });
}

/** The same FCB as last time asks for a repeat; a toggled one for the next telegram. */
function telegram(s: MeterState, fcb: boolean, at: number): Buffer {
  const parts = Math.max(1, s.config.telegrams ?? 1);
  const part = s.lastFcb === undefined ? 0 : fcb === s.lastFcb ? s.lastPart : (s.lastPart + 1) % parts;
  if (s.lastFcb === undefined || fcb !== s.lastFcb) s.accessNumber = (s.accessNumber + 1) & 0xff;
  s.lastFcb = fcb;
  s.lastPart = part;
  const all = s.config.kind === 'electricity' ? electricityRecords(s, at) : heatRecords(s, at);
  const per = Math.ceil(all.length / parts);
  const records = all.slice(part * per, (part + 1) * per);
  const data = encodeVariableUserData(s.address, s.accessNumber, 0, records, part < parts - 1);
  return encodeFrame({ type: 'long', control: Control.rspUd, address: s.primary, ci: Ci.variable, data });
}

function dateTime(at: number): Buffer {
  const d = new Date(at);
  return encodeDateTimeF({
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
  });
}

/** A household load wandering around 2.3 kW; energy is its integral since the simulator started. */
function electricityRecords(s: MeterState, at: number): Buffer[] {
  const seconds = (at - s.startedAt) / 1000;
  const seed = Number(s.address.id) % 97;
  const powerW = Math.round(2300 + 800 * Math.sin(seconds / 7 + seed));
  const energyWh = 1_234_567 + seed * 1000 + Math.round((2300 * seconds) / 3600);
  const voltage = 230 + 3 * Math.sin(seconds / 11 + seed);
  const current = powerW / voltage;
  return [
    encodeRecord({ dif: 0x0c, vif: 0x78, data: encodeBcd(Number(s.address.id), 8) }),
    encodeRecord({ dif: 0x04, vif: 0x03, data: encodeInteger(energyWh, 4) }),
    encodeRecord({ dif: 0x04, vif: 0x83, vife: [0x3c], data: encodeInteger(Math.floor(seconds / 60), 4) }),
    encodeRecord({ dif: 0x04, vif: 0x2b, data: encodeInteger(powerW, 4) }),
    encodeRecord({ dif: 0x02, vif: 0xfd, vife: [0x48], data: encodeInteger(Math.round(voltage * 10), 2) }),
    encodeRecord({ dif: 0x02, vif: 0xfd, vife: [0x59], data: encodeInteger(Math.round(current * 1000), 2) }),
    encodeRecord({ dif: 0x04, vif: 0x6d, data: dateTime(at) }),
  ];
}

/** A heat meter with flow 70 °C / return 45 °C and a slowly varying flow rate. */
function heatRecords(s: MeterState, at: number): Buffer[] {
  const seconds = (at - s.startedAt) / 1000;
  const flowLh = Math.round(600 + 150 * Math.sin(seconds / 13));
  const flowC = 70 + Math.sin(seconds / 17);
  const returnC = 45 + Math.sin(seconds / 19);
  const powerW = Math.round((flowLh / 3600) * 4186 * (flowC - returnC));
  return [
    encodeRecord({ dif: 0x0c, vif: 0x78, data: encodeBcd(Number(s.address.id), 8) }),
    encodeRecord({ dif: 0x04, vif: 0x06, data: encodeInteger(8000 + Math.floor(seconds / 10), 4) }),
    encodeRecord({
      dif: 0x04,
      vif: 0x13,
      data: encodeInteger(500_000 + Math.round((flowLh * seconds) / 3600), 4),
    }),
    encodeRecord({ dif: 0x04, vif: 0x2b, data: encodeInteger(powerW, 4) }),
    encodeRecord({ dif: 0x04, vif: 0x3b, data: encodeInteger(flowLh, 4) }),
    encodeRecord({ dif: 0x02, vif: 0x59, data: encodeInteger(Math.round(flowC * 100), 2) }),
    encodeRecord({ dif: 0x02, vif: 0x5d, data: encodeInteger(Math.round(returnC * 100), 2) }),
    encodeRecord({ dif: 0x02, vif: 0x61, data: encodeInteger(Math.round((flowC - returnC) * 100), 2) }),
    encodeRecord({ dif: 0x04, vif: 0x6d, data: dateTime(at) }),
  ];
}
