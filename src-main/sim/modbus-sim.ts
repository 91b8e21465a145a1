import { ServerSerial, ServerTCP } from 'modbus-serial';
import type { DeviceModel } from '../devices/model-schema.js';
import { SYSTEM_TYPE_KEY, systemChoiceValue } from '../drivers/system-type.js';
import { encodeRegisters, registerCount } from '../protocol/modbus/codec.js';
import { MeterPhysics, type PhysicsFaults } from './meter-physics.js';
import { RegisterImage, type RegisterSpace } from './register-image.js';
import type { SiteConditions } from './site-wiring.js';

export interface SimulatedMeterOptions {
  model: DeviceModel;
  unit: number;
  seed?: number;
  faults?: PhysicsFaults;
  /** Extra reply delay, ms (a slow meter). */
  delayMs?: number;
  /** Signals this variant lacks: reading their registers raises exception 2. */
  missingKeys?: readonly string[];
  /** Serial number the meter reports (default SIM0000001; numeric serial registers take its digits). */
  serialNumber?: string;
  /** How the meter is installed (CTs on other phases, reversed, another ratio) and loads switched on. */
  site?: SiteConditions;
  /** A steady base load without noise (tests that must tell a step from the site's own changes). */
  steady?: boolean;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export class ModbusException extends Error {
  constructor(readonly modbusErrorCode: number) {
    super(`modbus exception ${modbusErrorCode}`);
  }
}

/** A simulated meter: physics → register image → the modbus-serial slave's service vector. */
export class SimulatedMeter {
  readonly physics: MeterPhysics;
  readonly image: RegisterImage;
  private cache:
    | {
        at: number;
        locked: boolean;
        site: number;
        measured: Record<string, number>;
        spaces: { 3: RegisterSpace; 4: RegisterSpace };
      }
    | undefined;
  /** With site conditions: energy counted from what the meter measures (a reversed CT counts export), kWh. */
  private siteEnergy: { at: number; import: number; export: number } | undefined;
  requests = 0;
  private readonly missing = new Set<number>();
  private readonly idWords: number[];

  constructor(readonly o: SimulatedMeterOptions) {
    for (const sig of o.model.signals)
      if (o.missingKeys?.includes(sig.key))
        for (let i = 0; i < registerCount(sig.type); i++) this.missing.add(sig.register + i);
    const phases = o.model.systems.some((s) => s.startsWith('3P')) ? 3 : 1;
    this.physics = new MeterPhysics({
      phases,
      seed: o.seed ?? o.unit,
      faults: o.faults,
      ...(o.steady ? { noise: 0, dayS: 0 } : {}),
    });
    this.image = new RegisterImage(o.model, o.serialNumber);
    const id = o.model.identification;
    const first = id?.match[0];
    this.idWords = id
      ? encodeRegisters(
          first?.values?.[0] ?? first?.range?.[0] ?? first?.text ?? 0,
          id.type,
          first?.wordOrder ?? o.model.wordOrder,
          id.words,
        )
      : [];
    // The meter's own wiring setting matches what it simulates, so a clean meter checks clean.
    const system = systemChoiceValue(o.model, phases === 3 ? '3P.N' : '1P');
    if (system !== undefined) this.image.config.set(SYSTEM_TYPE_KEY, system);
  }

  private spaces(): { 3: RegisterSpace; 4: RegisterSpace } {
    const now = Date.now();
    // Refresh at most every 100 ms: a poll cycle reads a consistent snapshot, like a real meter's update rate.
    const site = this.o.site?.version ?? 0;
    if (
      !this.cache ||
      now - this.cache.at >= 100 ||
      this.cache.locked !== this.image.locked ||
      this.cache.site !== site
    ) {
      // EM24: front selector position 3 is the locked position in which setup writes are refused.
      const measured = this.physics.step(now);
      const values = {
        ...(this.o.site ? this.siteValues(measured, now) : measured),
        front_selector: this.image.locked ? 3 : 0,
      };
      this.cache = { at: now, locked: this.image.locked, site, measured, spaces: this.image.build(values) };
    }
    return this.cache.spaces;
  }

  /** What the meter shows as installed on site, its energy counters following the power it measures. */
  private siteValues(measured: Record<string, number>, now: number): Record<string, number> {
    const v = this.o.site!.apply(measured, this.image.setting('ct_ratio'));
    const e = (this.siteEnergy ??= {
      at: now,
      import: measured.energy_import ?? 0,
      export: measured.energy_export ?? 0,
    });
    const kwh = ((v.active_power ?? 0) / 1000) * (Math.max(0, now - e.at) / 3_600_000);
    if (kwh >= 0) e.import += kwh;
    else e.export -= kwh;
    e.at = now;
    return { ...v, energy_import: round3(e.import), energy_export: round3(e.export) };
  }

  /**
   * The true per-conductor power behind this meter (W, positive drawn from the grid), whatever its CTs
   * do: what a utility meter upstream sees of it. Same snapshot as the registers.
   */
  gridPower(): [number, number, number] {
    this.spaces();
    const m = this.cache!.measured;
    if (this.o.site) return this.o.site.conductorPower(m);
    return [m.active_power_l1 ?? m.active_power ?? 0, m.active_power_l2 ?? 0, m.active_power_l3 ?? 0];
  }

  /**
   * Like the meters themselves: reserved registers between defined ones read as 0, a range with no
   * defined register at all (or touching a register this variant lacks) is refused with exception 2.
   */
  read(fc: 3 | 4, address: number, length: number): number[] {
    this.requests++;
    // CG meters keep their model code at 0x000B, inside a measurement (V L3-L1 spans 0x000A-0x000B):
    // asked for alone it is the code, inside a block it is the measurement's high word.
    const id = this.o.model.identification;
    if (id && fc === id.fc && address === id.register && length === registerCount(id.type, id.words))
      return [...this.idWords];
    const space = this.spaces()[fc];
    const out: number[] = [];
    let defined = 0;
    for (let i = 0; i < length; i++) {
      if (this.missing.has(address + i)) throw new ModbusException(2);
      const w = space.get(address + i);
      if (w !== undefined) defined++;
      out.push(w ?? 0);
    }
    if (!defined) throw new ModbusException(2);
    return out;
  }

  write(address: number, words: readonly number[]): void {
    this.requests++;
    const r = this.image.write(address, words);
    this.cache = undefined;
    if (!r.ok) throw new ModbusException(r.exception ?? 4);
  }

  /**
   * The service vector for modbus-serial's slave servers, in its callback form: errors carry a
   * `modbusErrorCode` so the server answers with that exception instead of a generic failure.
   */
  vector(): ConstructorParameters<typeof ServerTCP>[0] {
    type Cb<T> = (err: Error | null, value: T) => void;
    const later = <T>(cb: Cb<T>, f: () => T, fallback: T): void => {
      const run = (): void => {
        let value: T;
        try {
          value = f();
        } catch (e) {
          cb(e as Error, fallback);
          return;
        }
        cb(null, value);
      };
      if (this.o.delayMs) setTimeout(run, this.o.delayMs);
      else run();
    };
    return {
      getHoldingRegister: (addr: number, _unit: number, cb: Cb<number>) =>
        later(cb, () => this.read(3, addr, 1)[0] ?? 0, 0),
      getInputRegister: (addr: number, _unit: number, cb: Cb<number>) =>
        later(cb, () => this.read(4, addr, 1)[0] ?? 0, 0),
      getMultipleHoldingRegisters: (addr: number, len: number, _unit: number, cb: Cb<number[]>) =>
        later(cb, () => this.read(3, addr, len), []),
      getMultipleInputRegisters: (addr: number, len: number, _unit: number, cb: Cb<number[]>) =>
        later(cb, () => this.read(4, addr, len), []),
      setRegister: (addr: number, value: number, _unit: number, cb: (err: Error | null) => void) =>
        later(
          (e) => cb(e),
          () => this.write(addr, [value]),
          undefined,
        ),
      setRegisterArray: (addr: number, values: number[], _unit: number, cb: (err: Error | null) => void) =>
        later(
          (e) => cb(e),
          () => this.write(addr, values),
          undefined,
        ),
    };
  }
}

export interface RunningSim {
  meter: SimulatedMeter;
  endpoint: string;
  stop(): Promise<void>;
}

export function serveTcp(meter: SimulatedMeter, port: number, host = '127.0.0.1'): Promise<RunningSim> {
  return new Promise((resolve, reject) => {
    const server: ServerTCP = new ServerTCP(meter.vector(), { host, port, unitID: meter.o.unit });
    server.on('serverError', (e: Error | null) => reject(e ?? new Error('simulator server error')));
    server.on('error', () => undefined);
    server.on('socketError', () => undefined);
    server.on('initialized', () =>
      resolve({
        meter,
        endpoint: `tcp://${host}:${port}`,
        stop: () => new Promise((r) => server.close(() => r())),
      }),
    );
  });
}

export function serveSerial(
  meter: SimulatedMeter,
  path: string,
  baudRate = 9600,
  parity: 'none' | 'even' | 'odd' = 'none',
): Promise<RunningSim> {
  return new Promise((resolve, reject) => {
    let server: ServerSerial | undefined = undefined;
    const timer = setTimeout(() => reject(new Error(`simulator could not open ${path}`)), 5000);
    const options = {
      path,
      baudRate,
      parity,
      unitID: meter.o.unit,
      // Inter-frame silence the slave waits for before it parses a request, ms.
      interval: 10,
      openCallback: (err: Error | null) => {
        if (err) {
          clearTimeout(timer);
          reject(new Error(`simulator cannot open ${path}: ${err.message}`));
        }
      },
    };
    server = new ServerSerial(meter.vector(), options);
    server.on('error', () => undefined);
    server.on('socketError', () => undefined);
    server.on('initialized', () => {
      clearTimeout(timer);
      resolve({
        meter,
        endpoint: `${path}@${baudRate}`,
        stop: () => new Promise((r) => server!.close(() => r())),
      });
    });
  });
}
