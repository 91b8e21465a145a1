import { mbusChecksum } from './checksum.js';

export const ACK = 0xe5;
export const START_SHORT = 0x10;
export const START_LONG = 0x68;
export const STOP = 0x16;
/** L counts C + A + CI + user data and is one byte, so user data is at most 252 bytes. */
export const MAX_USER_DATA = 252;

/** Primary addresses with a fixed meaning (EN 13757-2). */
export const Address = {
  unconfigured: 0,
  maxSlave: 250,
  /** The slave currently selected by secondary address. */
  selected: 253,
  /** Every slave answers: only safe with one slave on the bus. */
  broadcastReply: 254,
  broadcastNoReply: 255,
} as const;

/** C-field values; FCB (0x20) and FCV (0x10) are OR-ed in by the builders. */
export const Control = {
  sndNke: 0x40,
  sndUd: 0x53,
  reqUd2: 0x5b,
  reqUd1: 0x5a,
  rspUd: 0x08,
  fcb: 0x20,
  fcv: 0x10,
  /** Set in every master-to-slave frame. */
  prm: 0x40,
  /** RSP_UD: access demand (the slave has class-1 data). */
  acd: 0x20,
  /** RSP_UD: data flow control (the slave cannot take more data). */
  dfc: 0x10,
} as const;

export type MbusFrame =
  | { type: 'ack' }
  | { type: 'short'; control: number; address: number }
  /** Long-frame format with L = 3: C, A and CI but no user data. */
  | { type: 'control'; control: number; address: number; ci: number }
  | { type: 'long'; control: number; address: number; ci: number; data: Buffer };

export type ControlName = 'SND_NKE' | 'SND_UD' | 'REQ_UD1' | 'REQ_UD2' | 'RSP_UD' | 'unknown';

export interface ControlInfo {
  name: ControlName;
  fromMaster: boolean;
  /** Frame count bit (master frames with FCV set). */
  fcb: boolean;
  fcv: boolean;
  /** Slave frames: access demand / data flow control. */
  acd: boolean;
  dfc: boolean;
}

export function describeControl(c: number): ControlInfo {
  const fromMaster = (c & Control.prm) !== 0;
  const fn = c & 0x4f;
  let name: ControlName = 'unknown';
  if (fromMaster) {
    if (fn === 0x40) name = 'SND_NKE';
    else if (fn === 0x43) name = 'SND_UD';
    else if (fn === 0x4b) name = 'REQ_UD2';
    else if (fn === 0x4a) name = 'REQ_UD1';
  } else if (fn === 0x08) {
    name = 'RSP_UD';
  }
  return {
    name,
    fromMaster,
    fcb: fromMaster && (c & Control.fcb) !== 0,
    fcv: fromMaster && (c & Control.fcv) !== 0,
    acd: !fromMaster && (c & Control.acd) !== 0,
    dfc: !fromMaster && (c & Control.dfc) !== 0,
  };
}

/** Serialises a frame. Throws RangeError only for programming errors (field out of range, data too long). */
export function encodeFrame(frame: MbusFrame): Buffer {
  switch (frame.type) {
    case 'ack':
      return Buffer.from([ACK]);
    case 'short': {
      checkByte(frame.control, 'C');
      checkByte(frame.address, 'A');
      return Buffer.from([
        START_SHORT,
        frame.control,
        frame.address,
        (frame.control + frame.address) & 0xff,
        STOP,
      ]);
    }
    case 'control':
      return encodeLong(frame.control, frame.address, frame.ci, Buffer.alloc(0));
    case 'long':
      return encodeLong(frame.control, frame.address, frame.ci, frame.data);
  }
}

function encodeLong(control: number, address: number, ci: number, data: Uint8Array): Buffer {
  checkByte(control, 'C');
  checkByte(address, 'A');
  checkByte(ci, 'CI');
  if (data.length > MAX_USER_DATA)
    throw new RangeError(`M-Bus user data of ${data.length} bytes exceeds ${MAX_USER_DATA}`);
  const l = data.length + 3;
  const out = Buffer.alloc(l + 6);
  out[0] = START_LONG;
  out[1] = l;
  out[2] = l;
  out[3] = START_LONG;
  out[4] = control;
  out[5] = address;
  out[6] = ci;
  out.set(data, 7);
  out[l + 4] = mbusChecksum(out, 4, l + 4);
  out[l + 5] = STOP;
  return out;
}

function checkByte(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new RangeError(`M-Bus ${what} field ${v} is not a byte`);
}
