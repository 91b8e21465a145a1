import { Address, Control, encodeFrame } from './frame.js';
import { encodeSecondaryAddress, type SecondaryAddress } from './secondary-address.js';
import { BAUD_RATES, Ci, type BaudRate } from './user-data.js';

/** Link reset / "ping": the slave answers E5 and forgets its FCB state. */
export function sndNke(address: number): Buffer {
  return encodeFrame({ type: 'short', control: Control.sndNke, address });
}

/** Request class-2 data. Toggle `fcb` after each good answer to ask a multi-telegram slave for the next part. */
export function reqUd2(address: number, fcb: boolean): Buffer {
  return encodeFrame({ type: 'short', control: Control.reqUd2 | (fcb ? Control.fcb : 0), address });
}

/** Request class-1 (alarm) data. */
export function reqUd1(address: number, fcb: boolean): Buffer {
  return encodeFrame({ type: 'short', control: Control.reqUd1 | (fcb ? Control.fcb : 0), address });
}

/** Select the slave matching `mask` (wildcards allowed); a matching slave answers E5 and then answers address 253. */
export function selectSecondary(mask: SecondaryAddress, fcb = false): Buffer {
  return encodeFrame({
    type: 'long',
    control: Control.sndUd | (fcb ? Control.fcb : 0),
    address: Address.selected,
    ci: Ci.select,
    data: encodeSecondaryAddress(mask),
  });
}

/** Application reset (CI 0x50), optionally with a sub-code selecting what to reset. */
export function applicationReset(address: number, subcode?: number): Buffer {
  const data = subcode === undefined ? Buffer.alloc(0) : Buffer.from([subcode]);
  return encodeFrame({ type: 'long', control: Control.sndUd, address, ci: Ci.applicationReset, data });
}

/** Tell the slave to switch speed; it acknowledges at the old speed. */
export function setBaudRate(address: number, baudRate: BaudRate): Buffer {
  const ci = Ci.baudRateFirst + BAUD_RATES.indexOf(baudRate);
  return encodeFrame({ type: 'control', control: Control.sndUd, address, ci });
}

/** Write a new primary address (CI 0x51, record DIF 0x01 VIF 0x7A). */
export function setPrimaryAddress(address: number, newAddress: number): Buffer {
  if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > Address.maxSlave) {
    throw new RangeError(`primary address ${newAddress} is outside 0–${Address.maxSlave}`);
  }
  return encodeFrame({
    type: 'long',
    control: Control.sndUd,
    address,
    ci: Ci.dataSend,
    data: Buffer.from([0x01, 0x7a, newAddress]),
  });
}
