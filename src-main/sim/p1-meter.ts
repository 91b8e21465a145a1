import { encodeP1Telegram } from '../protocol/p1/encoder.js';
import { addEvenParity } from '../protocol/p1/seven-bit.js';
import { formatP1Timestamp, isEuSummerTime } from '../protocol/p1/timestamp.js';
import type { Transport } from '../transport/transport.js';

export type P1MeterProtocol = 'dsmr5' | 'dsmr22';

export interface P1MeterOptions {
  /** DSMR 5 (115200 8N1, CRC, 1 s) or DSMR 2.2 (9600 7E1, no CRC, 10 s). */
  protocol?: P1MeterProtocol;
  /** Default 1 s for DSMR 5, 10 s for DSMR 2.2. */
  intervalMs?: number;
  /** Simulated seconds per real second, to watch counters move in a demo; default 1. */
  speed?: number;
  /** Meter clock at start; default now. */
  startAt?: number;
  /** Seed of the load noise, for repeatable runs. */
  seed?: number;
  /** How often the gas meter reports over M-Bus; default 5 min (DSMR 5), 1 h (DSMR 2.2). */
  gasIntervalMs?: number;
  equipmentId?: string;
  /** The text message (0-0:96.13.0) of DSMR 5 telegrams; empty when not given. */
  textMessage?: string;
  gasEquipmentId?: string;
  onError?: (err: Error) => void;
  /**
   * The net power per phase (W, positive = import) the meter measures now, when it sits in front of
   * other simulated meters (the demo plant, the cross-check tests); the household model otherwise.
   */
  grid?: () => [number, number, number];
}

const HOUR = 3_600_000;

/** Deterministic noise (mulberry32): the same seed gives the same household. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixed(value: number, intDigits: number, decimals: number): string {
  const limit = 10 ** intDigits;
  const text = (((value % limit) + limit) % limit).toFixed(decimals);
  return text.padStart(intDigits + (decimals > 0 ? decimals + 1 : 0), '0');
}

function hex(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex').toUpperCase();
}

function localHour(t: number): { hour: number; weekday: number; dayOfYear: number } {
  const local = new Date(t + HOUR + (isEuSummerTime(t) ? HOUR : 0));
  const start = Date.UTC(local.getUTCFullYear(), 0, 1);
  return {
    hour: local.getUTCHours() + local.getUTCMinutes() / 60,
    weekday: local.getUTCDay(),
    dayOfYear: (local.getTime() - start) / (24 * HOUR),
  };
}

/**
 * A household behind a Dutch meter: base load with morning and evening peaks and the odd kettle,
 * PV on L1 that follows the sun and the season, gas for heating in winter. Time only moves forward.
 */
export class P1MeterModel {
  private readonly rand: () => number;
  private readonly protocol: P1MeterProtocol;
  private readonly gasIntervalMs: number;
  private t: number;
  /** Wh, per direction and tariff. */
  private readonly energy = { import1: 1_234_567, import2: 987_654, export1: 123_456, export2: 234_567 };
  private gas = 2345.678;
  private gasAt: number;
  private kettleUntil = 0;
  private readonly failures = { short: 3, long: 1 };

  constructor(
    startAt: number,
    private readonly options: Pick<
      P1MeterOptions,
      'protocol' | 'seed' | 'gasIntervalMs' | 'equipmentId' | 'gasEquipmentId' | 'textMessage' | 'grid'
    > = {},
  ) {
    this.protocol = options.protocol ?? 'dsmr5';
    this.rand = prng(options.seed ?? 1);
    this.gasIntervalMs = options.gasIntervalMs ?? (this.protocol === 'dsmr5' ? 5 * 60_000 : HOUR);
    this.t = startAt;
    this.gasAt = startAt - (startAt % this.gasIntervalMs);
  }

  /** Advances the household to `now` and returns the telegram the meter sends at that moment. */
  telegram(now: number): Buffer {
    const power = this.advance(now);
    return this.protocol === 'dsmr5' ? this.dsmr5(power) : this.dsmr22(power);
  }

  /** Per-phase net power in W (positive = import) at time t. */
  private phases(t: number): [number, number, number] {
    if (this.options.grid) return this.options.grid();
    const { hour, dayOfYear } = localHour(t);
    const peak = (center: number, width: number, height: number): number =>
      height * Math.exp(-(((hour - center) / width) ** 2));
    if (t >= this.kettleUntil && this.rand() < 0.002) this.kettleUntil = t + 3 * 60_000;
    const load =
      180 + peak(7.5, 1, 900) + peak(13, 1.5, 400) + peak(19, 2, 1500) + (t < this.kettleUntil ? 2000 : 0);
    const noisy = load * (0.9 + 0.2 * this.rand());
    const season = 0.55 + 0.45 * Math.cos(((dayOfYear - 172) / 365) * 2 * Math.PI);
    const sun = Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI));
    const pv = 3500 * season * sun * (0.85 + 0.15 * this.rand());
    return [noisy * 0.5 - pv, noisy * 0.3, noisy * 0.2];
  }

  private advance(now: number): [number, number, number] {
    const p = this.phases(now);
    const dtHours = Math.max(0, now - this.t) / HOUR;
    const net = p[0] + p[1] + p[2];
    const { hour, weekday } = localHour(now);
    // NL numbering: tariff 1 = low (nights and weekends), tariff 2 = normal.
    const low = weekday === 0 || weekday === 6 || hour < 7 || hour >= 23;
    const imported = Math.max(net, 0) * dtHours;
    const exported = Math.max(-net, 0) * dtHours;
    if (low) {
      this.energy.import1 += imported;
      this.energy.export1 += exported;
    } else {
      this.energy.import2 += imported;
      this.energy.export2 += exported;
    }
    while (this.gasAt + this.gasIntervalMs <= now) {
      this.gasAt += this.gasIntervalMs;
      const { dayOfYear } = localHour(this.gasAt);
      const heating = 0.6 + 0.4 * Math.cos(((dayOfYear - 15) / 365) * 2 * Math.PI);
      this.gas += (heating * 0.12 * (0.7 + 0.6 * this.rand()) * this.gasIntervalMs) / HOUR;
    }
    this.t = Math.max(this.t, now);
    return p;
  }

  private get lowTariff(): boolean {
    const { hour, weekday } = localHour(this.t);
    return weekday === 0 || weekday === 6 || hour < 7 || hour >= 23;
  }

  private dsmr5(p: [number, number, number]): Buffer {
    const net = p[0] + p[1] + p[2];
    const volts = p.map((w, i) => 230 + 2 * Math.sin(this.t / 600_000 + i) - w / 1000 + this.rand() * 0.6);
    const kw = (w: number): string => fixed(Math.max(w, 0) / 1000, 2, 3);
    const e = this.energy;
    const lines = [
      '1-3:0.2.8(50)',
      `0-0:1.0.0(${formatP1Timestamp(this.t, true)})`,
      `0-0:96.1.1(${hex(this.options.equipmentId ?? 'E0012345678901234')})`,
      `1-0:1.8.1(${fixed(e.import1 / 1000, 6, 3)}*kWh)`,
      `1-0:1.8.2(${fixed(e.import2 / 1000, 6, 3)}*kWh)`,
      `1-0:2.8.1(${fixed(e.export1 / 1000, 6, 3)}*kWh)`,
      `1-0:2.8.2(${fixed(e.export2 / 1000, 6, 3)}*kWh)`,
      `0-0:96.14.0(000${this.lowTariff ? 1 : 2})`,
      `1-0:1.7.0(${kw(net)}*kW)`,
      `1-0:2.7.0(${kw(-net)}*kW)`,
      `0-0:96.7.21(${fixed(this.failures.short, 5, 0)})`,
      `0-0:96.7.9(${fixed(this.failures.long, 5, 0)})`,
      '1-0:99.97.0(0)(0-0:96.7.19)',
      ...['32', '52', '72'].map((c) => `1-0:${c}.32.0(00000)`),
      ...['32', '52', '72'].map((c) => `1-0:${c}.36.0(00000)`),
      `0-0:96.13.0(${hex(this.options.textMessage ?? '')})`,
      ...['32', '52', '72'].map((c, i) => `1-0:${c}.7.0(${fixed(volts[i] ?? 230, 3, 1)}*V)`),
      ...['31', '51', '71'].map(
        (c, i) => `1-0:${c}.7.0(${fixed(Math.abs(p[i] ?? 0) / (volts[i] ?? 230), 3, 0)}*A)`,
      ),
      ...['21', '41', '61'].map((c, i) => `1-0:${c}.7.0(${kw(p[i] ?? 0)}*kW)`),
      ...['22', '42', '62'].map((c, i) => `1-0:${c}.7.0(${kw(-(p[i] ?? 0))}*kW)`),
      '0-1:24.1.0(003)',
      `0-1:96.1.0(${hex(this.options.gasEquipmentId ?? 'G0098765432109876')})`,
      `0-1:24.2.1(${formatP1Timestamp(this.gasAt, true)})(${fixed(this.gas, 5, 3)}*m3)`,
    ];
    return encodeP1Telegram('SIM5\\2EMS-P1-SIM', lines, { crc: true });
  }

  /** DSMR 2.2 as an Iskra MT382 sends it; bit 7 carries the even parity, as 7E1 appears to an 8-bit reader. */
  private dsmr22(p: [number, number, number]): Buffer {
    const net = p[0] + p[1] + p[2];
    const e = this.energy;
    const lines = [
      `0-0:96.1.1(${hex(this.options.equipmentId ?? 'E0012345678901234')})`,
      `1-0:1.8.1(${fixed(e.import1 / 1000, 5, 3)}*kWh)`,
      `1-0:1.8.2(${fixed(e.import2 / 1000, 5, 3)}*kWh)`,
      `1-0:2.8.1(${fixed(e.export1 / 1000, 5, 3)}*kWh)`,
      `1-0:2.8.2(${fixed(e.export2 / 1000, 5, 3)}*kWh)`,
      `0-0:96.14.0(000${this.lowTariff ? 1 : 2})`,
      `1-0:1.7.0(${fixed(Math.max(net, 0) / 1000, 4, 2)}*kW)`,
      `1-0:2.7.0(${fixed(Math.max(-net, 0) / 1000, 4, 2)}*kW)`,
      '0-0:17.0.0(0999.00*kW)',
      '0-0:96.3.10(1)',
      '0-0:96.13.1()',
      '0-0:96.13.0()',
      '0-1:24.1.0(3)',
      `0-1:96.1.0(${hex(this.options.gasEquipmentId ?? 'G0098765432109876')})`,
      `0-1:24.3.0(${formatP1Timestamp(this.gasAt, false)})(00)(60)(1)(0-1:24.2.1)(m3)`,
      `(${fixed(this.gas, 5, 3)})`,
      '0-1:24.4.0(1)',
    ];
    return addEvenParity(encodeP1Telegram('SIM5\\2EMS-P1-SIM-22', lines, { crc: false }));
  }
}

export interface P1MeterHandle {
  /** Stops sending; resolves once a telegram being written has been written. */
  stop(): Promise<void>;
}

/** Sends a telegram every interval to an open transport, the way a meter pushes on its P1 port. */
export function startP1Meter(transport: Transport, options: P1MeterOptions = {}): P1MeterHandle {
  const protocol = options.protocol ?? 'dsmr5';
  const intervalMs = options.intervalMs ?? (protocol === 'dsmr5' ? 1000 : 10_000);
  const speed = options.speed ?? 1;
  const realStart = Date.now();
  const meterStart = options.startAt ?? realStart;
  const model = new P1MeterModel(meterStart, { ...options, protocol });
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = (): void => {
    // A slow link must not queue telegrams up: a real meter skips, it does not buffer.
    if (busy) return;
    busy = true;
    const meterNow = meterStart + (Date.now() - realStart) * speed;
    inFlight = transport
      .write(model.telegram(meterNow))
      .catch((err: unknown) => options.onError?.(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        busy = false;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
