import { describe, expect, it } from 'vitest';
import { decodeRegisters } from '../../src-main/protocol/modbus/codec.js';
import { parseResponse, readRequest, writeSingleRequest } from '../../src-main/protocol/modbus/pdu.js';
import { buildRtuFrame, RtuResponseParser } from '../../src-main/protocol/modbus/rtu-frame.js';
import { buildTcpFrame, TcpResponseParser } from '../../src-main/protocol/modbus/tcp-frame.js';
import { fuzz } from './harness.js';

const pdus = [
  Buffer.from([3, 4, 0x08, 0xfd, 0x00, 0x00]),
  Buffer.from([4, 8, 0x43, 0x66, 0x80, 0x00, 0x00, 0x01, 0x00, 0x02]),
  Buffer.from([0x83, 0x02]),
  Buffer.from([6, 0x11, 0x01, 0x00, 0x01]),
  Buffer.from([16, 0x00, 0x10, 0x00, 0x02]),
];
const rtuCorpus = pdus.map((p, i) => buildRtuFrame(i + 1, p));
const tcpCorpus = pdus.map((p, i) => buildTcpFrame(i, i + 1, p));
const requests = [readRequest(3, 0, 2), readRequest(4, 0, 4), writeSingleRequest(0x1101, 1)];

// Seeds that once failed are kept here and replayed first on every run.
const REGRESSIONS: number[] = [];
const ITERATIONS = 12_000;

describe('fuzzing the Modbus response path', () => {
  it(`RTU parser + PDU interpretation: ${ITERATIONS} mutated frames, no exception, no hang`, () => {
    const { runs, failures } = fuzz(
      rtuCorpus,
      ITERATIONS,
      (input) => {
        const p = new RtuResponseParser();
        // Split at a data-dependent point: chunking must not matter.
        const cut = input.length ? (input[0] ?? 0) % input.length : 0;
        for (const ev of [...p.push(input.subarray(0, cut)), ...p.push(input.subarray(cut))]) {
          if (ev.kind !== 'frame') continue;
          for (const req of requests) {
            const r = parseResponse(req, ev.pdu);
            if (r.kind === 'registers') decodeRegisters(r.values, 'float32', 'lsw');
          }
        }
        expect(p.pending).toBeLessThanOrEqual(600);
      },
      { seed: 7, regressions: REGRESSIONS },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });

  it(`TCP parser: ${ITERATIONS} mutated streams, no exception, no hang`, () => {
    const { failures } = fuzz(
      tcpCorpus,
      ITERATIONS,
      (input) => {
        const p = new TcpResponseParser();
        for (const ev of p.push(input))
          if (ev.kind === 'frame') for (const req of requests) parseResponse(req, ev.pdu);
      },
      { seed: 11, regressions: REGRESSIONS },
    );
    expect(failures).toEqual([]);
  });

  it('register decoding accepts any words for every type and order', () => {
    const types = [
      'int16',
      'uint16',
      'int32',
      'uint32',
      'int64',
      'uint64',
      'float32',
      'float64',
      'ascii',
    ] as const;
    const { failures } = fuzz(
      [Buffer.alloc(8, 0xff), Buffer.from('0102030405060708', 'hex')],
      ITERATIONS,
      (input) => {
        const words: number[] = [];
        for (let i = 0; i + 1 < input.length; i += 2) words.push(input.readUInt16BE(i));
        for (const t of types) {
          for (const o of ['msw', 'lsw'] as const) {
            try {
              decodeRegisters(words, t, o);
            } catch (e) {
              // Too few registers is the one documented refusal; anything else is a defect.
              if (!(e instanceof RangeError)) throw e;
            }
          }
        }
      },
      { seed: 13 },
    );
    expect(failures).toEqual([]);
  });
});
