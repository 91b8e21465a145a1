import { describe, expect, it } from 'vitest';
import { decodeRegisters, registerCount } from '../../src-main/protocol/modbus/codec.js';
import { parseResponse } from '../../src-main/protocol/modbus/pdu.js';
import { buildTcpFrame, TcpResponseParser } from '../../src-main/protocol/modbus/tcp-frame.js';
import { fuzz, fuzzReach } from './harness.js';
import { checkRtu, mutateRtu, pdus, requests, rtuStats } from './structured/modbus-rtu.js';

const tcpCorpus = pdus.map((p, i) => buildTcpFrame(i, i + 1, p));

// Seeds that once failed are kept here and replayed first on every run.
const REGRESSIONS: number[] = [];
const ITERATIONS = 12_000;

describe('fuzzing the Modbus response path', () => {
  it(`RTU: ${ITERATIONS} frames mutated inside valid framing reach the PDU decoder, whose oracles hold`, () => {
    const reply = fuzzReach(pdus, ITERATIONS, mutateRtu, checkRtu, {
      seed: 7,
      regressions: REGRESSIONS,
    });
    expect(reply.failures).toEqual([]);
    // Inputs that die at the CRC test nothing behind it: most must get through to the PDU decoder.
    expect(reply.reached / reply.runs).toBeGreaterThanOrEqual(0.5);
    // Some replies must also make it through PDU interpretation to register values and their codecs.
    expect(rtuStats.registerReplies).toBeGreaterThan(0);
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
          for (const o of ['msw', 'lsw', 'msw-byteswap', 'lsw-byteswap'] as const) {
            try {
              decodeRegisters(words, t, o);
            } catch (e) {
              // Too few registers is the one documented refusal; anything else is a defect.
              if (!(e instanceof RangeError && /needs \d+ registers/.test(e.message))) throw e;
              expect(words.length).toBeLessThan(registerCount(t));
            }
          }
        }
      },
      { seed: 13 },
    );
    expect(failures).toEqual([]);
  });
});
