import { ok, type Result } from './errors.js';
import { describeControl, type ControlName, type MbusFrame } from './frame.js';
import { decodeFrame } from './parser.js';
import { decodeUserData, type MbusUserData } from './user-data.js';

export interface MbusFrameSummary {
  type: MbusFrame['type'];
  control?: number;
  controlName?: ControlName;
  address?: number;
  ci?: number;
  /** Number of user-data bytes after CI. */
  length?: number;
}

/** A whole frame decoded: link layer and, for long/control frames, the application layer. */
export interface MbusTelegram {
  frame: MbusFrameSummary;
  userData?: MbusUserData;
}

export function summarizeFrame(frame: MbusFrame): MbusFrameSummary {
  if (frame.type === 'ack') return { type: 'ack' };
  const base = {
    type: frame.type,
    control: frame.control,
    controlName: describeControl(frame.control).name,
    address: frame.address,
  };
  if (frame.type === 'short') return base;
  if (frame.type === 'control') return { ...base, ci: frame.ci, length: 0 };
  return { ...base, ci: frame.ci, length: frame.data.length };
}

export function decodeTelegramFrame(frame: MbusFrame): Result<MbusTelegram> {
  const summary = summarizeFrame(frame);
  if (frame.type === 'ack' || frame.type === 'short') return ok({ frame: summary });
  const data = frame.type === 'long' ? frame.data : Buffer.alloc(0);
  const userData = decodeUserData(frame.ci, data);
  if (!userData.ok) return userData;
  return ok({ frame: summary, userData: userData.value });
}

/** Decodes the bytes of exactly one frame, link layer checks included. Never throws. */
export function decodeTelegram(bytes: Uint8Array): Result<MbusTelegram> {
  const frame = decodeFrame(bytes);
  if (!frame.ok) return frame;
  return decodeTelegramFrame(frame.value);
}
