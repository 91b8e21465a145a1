import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { P1Reader, type P1Reading, type P1Rejection } from '../../src-main/bus/p1-reader.js';
import { addEvenParity } from '../../src-main/protocol/p1/seven-bit.js';
import type { Transport, TransportEvents } from '../../src-main/transport/transport.js';
import { corpusBytes } from '../protocol/p1/corpus.js';

/** The receiving end of a line: the test plays the meter by emitting data. */
class LineEnd implements Transport {
  readonly endpoint = 'test://p1';
  readonly charTimeMs = 0;
  isOpen = true;
  private readonly ee = new EventEmitter();
  open = async (): Promise<void> => undefined;
  close = async (): Promise<void> => undefined;
  write = async (): Promise<void> => undefined;
  flush = async (): Promise<void> => undefined;
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.on(event, listener);
  }
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.off(event, listener);
  }
  send(bytes: Buffer): void {
    this.ee.emit('data', bytes);
  }
  drop(): void {
    this.ee.emit('close', new Error('unplugged'));
  }
  get listeners(): number {
    return this.ee.listenerCount('data') + this.ee.listenerCount('close');
  }
}

const v5 = corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382');
const v4 = corpusBytes('dsmr_parser', 'dsmr_v4_2_kaifa');
const badCrc = corpusBytes('corrupted', 'corrupt_badcrc_crc-edited_dsmr_v5_iskra_mt382');

describe('P1Reader', () => {
  let line: LineEnd;
  let reader: P1Reader;
  let readings: P1Reading[];
  let rejections: P1Rejection[];

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
    line = new LineEnd();
    readings = [];
    rejections = [];
  });
  afterEach(() => {
    reader.stop();
    vi.useRealTimers();
  });

  function start(options: ConstructorParameters<typeof P1Reader>[1] = {}): void {
    reader = new P1Reader(line, options);
    reader.on('telegram', (r) => readings.push(r));
    reader.on('rejected', (r) => rejections.push(r));
    reader.start();
  }

  it('emits parsed and mapped telegrams and counts rejects by kind', () => {
    start();
    line.send(v5.subarray(0, 300));
    line.send(Buffer.concat([v5.subarray(300), Buffer.from('noise'), badCrc, v4.subarray(0, 200)]));
    line.send(v4);
    expect(readings.map((r) => r.telegram.version.dsmr)).toEqual(['5.0', '4.2']);
    expect(readings[0]).toMatchObject({ endpoint: 'test://p1', receivedAt: Date.UTC(2024, 0, 1) });
    expect(readings[0]?.signals.samples.find((s) => s.key === 'power_import')?.value).toBe(244);
    expect(rejections.map((r) => r.reason)).toEqual(['bad_crc', 'truncated']);
    expect(rejections[0]).toMatchObject({
      endpoint: 'test://p1',
      detail: expect.stringContaining('declared 6EEF'),
    });
    expect(reader.stats).toEqual({
      telegrams: 2,
      badCrc: 1,
      framingErrors: 1,
      skippedBytes: 5,
      lastTelegramAt: Date.UTC(2024, 0, 1),
      stale: false,
    });
  });

  it('reads a 7E1 line that arrives with the parity bit set when told to', () => {
    start({ stripParity: true });
    line.send(addEvenParity(corpusBytes('dsmr_parser', 'dsmr_v2_2_iskra_mt382')));
    expect(readings).toHaveLength(1);
    expect(readings[0]?.telegram.crc).toBeNull();
  });

  it('goes stale after the quiet period and fresh on the next telegram', () => {
    start({ staleAfterMs: 10_000 });
    const events: string[] = [];
    reader.on('stale', (ms) => events.push(`stale ${ms}`));
    reader.on('fresh', () => events.push('fresh'));
    vi.advanceTimersByTime(6000);
    line.send(v5);
    vi.advanceTimersByTime(9000);
    expect(events).toEqual([]);
    // Garbage and rejected telegrams do not keep a port fresh.
    line.send(badCrc);
    vi.advanceTimersByTime(1000);
    expect(events).toEqual(['stale 10000']);
    expect(reader.stats.stale).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual(['stale 10000']);
    line.send(v5);
    expect(events).toEqual(['stale 10000', 'fresh']);
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['stale 10000', 'fresh', 'stale 10000']);
  });

  it('forgets a half telegram when the link drops', () => {
    start();
    line.send(v5.subarray(0, 500));
    line.drop();
    line.send(v5.subarray(500));
    line.send(v4);
    expect(readings.map((r) => r.telegram.version.dsmr)).toEqual(['4.2']);
    expect(rejections).toEqual([]);
  });

  it('detaches on stop', () => {
    start();
    expect(line.listeners).toBe(2);
    reader.stop();
    expect(line.listeners).toBe(0);
    line.send(v5);
    expect(readings).toEqual([]);
  });
});
