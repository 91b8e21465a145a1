import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeP1Input } from '../../src-main/cli/decode-p1.js';
import { looksLike7E1 } from '../../src-main/protocol/p1/seven-bit.js';
import type { P1Sample } from '../../src-main/protocol/p1/signals.js';
import { P1MeterModel, startP1Meter } from '../../src-main/sim/p1-meter.js';
import type { Transport, TransportEvents } from '../../src-main/transport/transport.js';

// Tests of src-main/sim/p1-meter.ts; they live here because the P1 stack owns test/bus/p1-*.

const MIN = 60_000;

function values(bytes: Buffer): Record<string, P1Sample> {
  const d = decodeP1Input(bytes, { receivedAt: 0 });
  expect(d.failures).toEqual([]);
  expect(d.telegrams).toHaveLength(1);
  return Object.fromEntries(
    d.telegrams[0]!.signals.samples.map((s) => [
      s.channel === undefined ? s.key : `${s.key}[${s.channel}]`,
      s,
    ]),
  );
}

const num = (s: Record<string, P1Sample>, key: string): number => {
  const v = s[key]?.value;
  if (typeof v !== 'number') throw new Error(`${key} missing`);
  return v;
};

describe('P1MeterModel (DSMR 5)', () => {
  // A summer Friday and Saturday in the Netherlands (CEST, UTC+2), from local midnight.
  const start = Date.UTC(2024, 5, 13, 22, 0);
  const days = 2;

  const run = (): { t: number; s: Record<string, P1Sample>; bytes: Buffer }[] => {
    const model = new P1MeterModel(start, { seed: 3 });
    const out = [];
    for (let t = start; t < start + days * 24 * 60 * MIN; t += MIN) {
      const bytes = model.telegram(t);
      out.push({ t, s: values(bytes), bytes });
    }
    return out;
  };
  const series = run();

  it('sends valid DSMR 5.0 telegrams stamped with the meter clock', () => {
    for (const { t, bytes } of series.slice(0, 50)) {
      const tg = decodeP1Input(bytes).telegrams[0]!.telegram;
      expect(tg.version.dsmr).toBe('5.0');
      expect(tg.crc?.declared).toBe(tg.crc?.computed);
      expect(tg.timestamp?.epochMs).toBe(t);
      expect(tg.timestamp?.dst).toBe('S');
    }
  });

  it('only ever increases the energy counters, and they do move', () => {
    const keys = [
      'energy_import_t1',
      'energy_import_t2',
      'energy_export_t1',
      'energy_export_t2',
      'gas_volume[1]',
    ];
    for (const key of keys) {
      const v = series.map(({ s }) => num(s, key));
      for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
      expect(v.at(-1)!, key).toBeGreaterThan(v[0]!);
    }
  });

  it('books on tariff 1 at night and at weekends, on tariff 2 during working days', () => {
    const at = (hour: number): Record<string, P1Sample> =>
      series.find(({ t }) => t === start + hour * 60 * MIN)!.s;
    expect(num(at(3), 'tariff')).toBe(1);
    expect(num(at(12), 'tariff')).toBe(2);
    expect(num(at(23.5), 'tariff')).toBe(1);
    expect(num(at(24 + 12), 'tariff')).toBe(1);
  });

  it('follows a load curve: evening peak above the night, export at a summer noon', () => {
    const mean = (fromHour: number, toHour: number, key: string): number => {
      const picked = series.filter(({ t }) => {
        const h = ((t - start) / (60 * MIN)) % 24;
        return h >= fromHour && h < toHour;
      });
      return picked.reduce((n, { s }) => n + num(s, key), 0) / picked.length;
    };
    expect(mean(18, 21, 'power_import')).toBeGreaterThan(3 * mean(2, 5, 'power_import'));
    expect(mean(12, 14, 'power_export')).toBeGreaterThan(1000);
    expect(mean(2, 5, 'power_export')).toBe(0);
  });

  it('keeps phases consistent with the totals', () => {
    for (const { s } of series) {
      const net = num(s, 'power_import') - num(s, 'power_export');
      expect(num(s, 'power_import') * num(s, 'power_export')).toBe(0);
      const phases = [1, 2, 3].map(
        (l) => num(s, `active_power_import_l${l}`) - num(s, `active_power_export_l${l}`),
      );
      expect(Math.abs(phases.reduce((a, b) => a + b, 0) - net)).toBeLessThanOrEqual(3);
      for (const l of [1, 2, 3]) {
        const v = num(s, `voltage_l${l}`);
        expect(v).toBeGreaterThan(220);
        expect(v).toBeLessThan(240);
        // Whole amps as Dutch meters send them, from power already rounded to watts.
        expect(Math.abs(num(s, `current_l${l}`) - Math.abs(phases[l - 1]!) / v)).toBeLessThanOrEqual(0.51);
      }
    }
  });

  it('reports gas every 5 minutes with its own capture time', () => {
    const captures = new Map<number, number>();
    for (const { t, s } of series) {
      const gas = s['gas_volume[1]']!;
      expect(gas.t % (5 * MIN)).toBe(0);
      expect(gas.t).toBeLessThanOrEqual(t);
      expect(t - gas.t).toBeLessThan(5 * MIN);
      const seen = captures.get(gas.t);
      if (seen !== undefined) expect(gas.value).toBe(seen);
      captures.set(gas.t, gas.value as number);
    }
    expect(captures.size).toBe((days * 24 * 60) / 5);
  });
});

describe('P1MeterModel (DSMR 2.2)', () => {
  it('sends 7E1 characters without CRC, with the two-line hourly gas reading', () => {
    const start = Date.UTC(2024, 0, 15, 12, 0);
    const model = new P1MeterModel(start, { protocol: 'dsmr22', seed: 5 });
    const bytes = model.telegram(start + 95 * MIN);
    expect(looksLike7E1(bytes)).toBe(true);
    const d = decodeP1Input(bytes, { receivedAt: 42 });
    expect(d.parityStripped).toBe(true);
    const tg = d.telegrams[0]!.telegram;
    expect(tg.crc).toBeNull();
    expect(tg.version.dsmr).toBe('2.2/3.0');
    const gas = tg.objects.find((o) => o.obis === '0-1:24.3.0');
    expect(gas?.value).toMatchObject({ kind: 'reading', unit: 'm3', at: { raw: '240115140000', dst: null } });
    expect(d.telegrams[0]!.signals.samples.find((s) => s.key === 'power_import')?.t).toBe(42);
  });
});

/** Collects what the simulated meter writes; `slow` holds each write until released. */
class Collector implements Transport {
  readonly endpoint = 'test://meter';
  readonly charTimeMs = 0;
  isOpen = true;
  writes: Buffer[] = [];
  slow = false;
  private release: (() => void)[] = [];
  private readonly ee = new EventEmitter();
  open = async (): Promise<void> => undefined;
  close = async (): Promise<void> => undefined;
  flush = async (): Promise<void> => undefined;
  write(data: Buffer): Promise<void> {
    this.writes.push(data);
    return this.slow ? new Promise((r) => this.release.push(r)) : Promise.resolve();
  }
  releaseAll(): void {
    for (const r of this.release.splice(0)) r();
  }
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.on(event, listener);
  }
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.off(event, listener);
  }
}

describe('startP1Meter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a telegram at once and then every interval, with the meter clock running at `speed`', async () => {
    vi.useFakeTimers({ now: Date.UTC(2024, 2, 1, 12) });
    const line = new Collector();
    const meter = startP1Meter(line, { intervalMs: 1000, speed: 60 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(line.writes).toHaveLength(6);
    const times = line.writes.map((w) => decodeP1Input(w).telegrams[0]!.telegram.timestamp?.epochMs);
    expect(times).toEqual([0, 1, 2, 3, 4, 5].map((i) => Date.UTC(2024, 2, 1, 12, i)));
    await meter.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(line.writes).toHaveLength(6);
  });

  it('skips a beat rather than queueing when the link is slower than the interval', async () => {
    vi.useFakeTimers();
    const line = new Collector();
    line.slow = true;
    const meter = startP1Meter(line, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(line.writes).toHaveLength(1);
    line.releaseAll();
    await vi.advanceTimersByTimeAsync(100);
    expect(line.writes).toHaveLength(2);
    line.releaseAll();
    await meter.stop();
  });

  it('reports write failures and keeps going', async () => {
    vi.useFakeTimers();
    const line = new Collector();
    let fail = true;
    line.write = async (data: Buffer) => {
      line.writes.push(data);
      if (fail) throw new Error('port closed');
    };
    const errors: string[] = [];
    const meter = startP1Meter(line, { intervalMs: 100, onError: (e) => errors.push(e.message) });
    await vi.advanceTimersByTimeAsync(150);
    fail = false;
    await vi.advanceTimersByTimeAsync(200);
    await meter.stop();
    expect(errors).toEqual(['port closed', 'port closed']);
    expect(line.writes).toHaveLength(4);
  });
});
