import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../../src-main/protocol/modbus/crc16.js';
import {
  parseResponse,
  parseResponseIn,
  readRequest,
  writeMultipleRequest,
  writeSingleRequest,
} from '../../../src-main/protocol/modbus/pdu.js';
import { buildRtuFrame, RtuResponseParser } from '../../../src-main/protocol/modbus/rtu-frame.js';
import { buildTcpFrame, TcpResponseParser } from '../../../src-main/protocol/modbus/tcp-frame.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('Modbus RTU framing', () => {
  it('computes the CRC of a known request (01 03 00 00 00 0A → C5 CD)', () => {
    const frame = buildRtuFrame(1, readRequest(3, 0, 10));
    expect(frame.toString('hex')).toBe('01030000000ac5cd');
    expect(crc16Modbus(hex('01 03 00 00 00 0a'))).toBe(0xcdc5);
  });

  it('parses a reply delivered in arbitrary chunks', () => {
    const reply = buildRtuFrame(1, Buffer.from([3, 4, 0x08, 0xfd, 0x00, 0x00]));
    for (let split = 1; split < reply.length; split++) {
      const p = new RtuResponseParser();
      const events = [...p.push(reply.subarray(0, split)), ...p.push(reply.subarray(split))];
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'frame', unit: 1 });
    }
  });

  it('reports garbage before a frame and still finds the frame', () => {
    const reply = buildRtuFrame(7, Buffer.from([4, 2, 0x12, 0x34]));
    const p = new RtuResponseParser();
    const events = p.push(Buffer.concat([hex('ff 00 13'), reply]));
    expect(events.filter((e) => e.kind === 'frame')).toHaveLength(1);
    expect(events.some((e) => e.kind === 'garbage')).toBe(true);
  });

  it('reports a bad CRC as a CRC error, not a frame', () => {
    const reply = buildRtuFrame(1, Buffer.from([3, 2, 0x00, 0x01]));
    reply.writeUInt8(reply.readUInt8(reply.length - 1) ^ 0xff, reply.length - 1);
    const events = new RtuResponseParser().push(reply);
    expect(events.map((e) => e.kind)).toEqual(['crc-error']);
  });

  it('parses exception replies', () => {
    const events = new RtuResponseParser().push(buildRtuFrame(1, Buffer.from([0x83, 0x02])));
    expect(events[0]?.kind).toBe('frame');
    const pdu = events[0]?.kind === 'frame' ? events[0].pdu : Buffer.alloc(0);
    expect(parseResponse(readRequest(3, 0, 1), pdu)).toEqual({ kind: 'exception', code: 2 });
  });

  it('reads a PDU in place inside a frame the same as on its own', () => {
    const cases: [Buffer, Buffer][] = [
      [readRequest(3, 0, 2), Buffer.from([3, 4, 0, 42, 0xff, 0xfe])],
      [readRequest(4, 0, 1), Buffer.from([0x84, 2])],
      [readRequest(4, 0, 1), Buffer.from([0x84])],
      [readRequest(3, 0, 2), Buffer.from([3, 2, 0, 1])],
      [readRequest(3, 0, 1), Buffer.from([4, 2, 0, 1])],
      [readRequest(3, 0, 1), Buffer.alloc(0)],
      [writeSingleRequest(9, 0x1234), Buffer.from([6, 0, 9, 0x12, 0x34])],
      [writeSingleRequest(9, 0x1234), Buffer.from([6, 0, 9, 0x12, 0x35])],
      [writeMultipleRequest(9, [1, 2]), Buffer.from([16, 0, 9, 0, 2])],
      [writeMultipleRequest(9, [1, 2]), Buffer.from([16, 0, 8, 0, 2])],
    ];
    for (const [req, pdu] of cases) {
      // Framed with bytes either side that must not be read: a unit before, a CRC after.
      const frame = Buffer.concat([Buffer.from([0xee]), pdu, Buffer.from([0xdd, 0xcc])]);
      const own = parseResponse(req, pdu);
      expect(parseResponseIn(req, frame, 1, 1 + pdu.length), pdu.toString('hex')).toEqual(own);
    }
    expect(parseResponse(readRequest(3, 0, 2), Buffer.from([3, 4, 0, 42, 0xff, 0xfe]))).toEqual({
      kind: 'registers',
      values: [42, 0xfffe],
    });
    expect(parseResponse(writeMultipleRequest(9, [1, 2]), Buffer.from([16, 0, 9, 0, 2]))).toEqual({
      kind: 'written',
      address: 9,
      quantity: 2,
    });
  });

  it('rejects a reply whose byte count does not match the request', () => {
    expect(parseResponse(readRequest(3, 0, 2), Buffer.from([3, 2, 0, 1]))).toMatchObject({
      kind: 'malformed',
    });
  });
});

describe('Modbus TCP framing', () => {
  it('builds and parses MBAP frames across chunk boundaries', () => {
    const f = buildTcpFrame(0x1234, 5, Buffer.from([3, 2, 0xab, 0xcd]));
    expect(f.toString('hex')).toBe('12340000000505' + '0302abcd');
    const p = new TcpResponseParser();
    const evs = [...p.push(f.subarray(0, 3)), ...p.push(Buffer.concat([f.subarray(3), f]))];
    expect(evs).toHaveLength(2);
    expect(evs[0]).toMatchObject({ kind: 'frame', transactionId: 0x1234, unit: 5 });
  });

  it('drops a stream with a broken header instead of waiting forever', () => {
    const evs = new TcpResponseParser().push(hex('0001 0007 0005 01 03 02 0000'));
    expect(evs[0]?.kind).toBe('garbage');
  });
});
