import { crc16Arc, formatCrc } from './crc16.js';

export interface P1EncodeOptions {
  /** DSMR 4+ end with "!" and the CRC; DSMR 2.2/3 with a bare "!". */
  crc: boolean;
}

/** Builds a telegram as a meter sends it: header, blank line, object lines, "!" line, all CR LF. */
export function encodeP1Telegram(header: string, lines: readonly string[], options: P1EncodeOptions): Buffer {
  const body = Buffer.from(`/${header}\r\n\r\n${lines.map((l) => `${l}\r\n`).join('')}!`, 'latin1');
  const tail = options.crc ? `${formatCrc(crc16Arc(body))}\r\n` : '\r\n';
  return Buffer.concat([body, Buffer.from(tail, 'latin1')]);
}
