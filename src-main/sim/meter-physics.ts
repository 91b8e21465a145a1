/**
 * Plausible electrical quantities for a simulated meter: mains voltage with noise, currents that follow
 * a daily-ish load curve (compressed so a plot moves within minutes), powers from V·I·PF, and energy
 * counters integrated from power that only ever increase.
 */
export interface PhysicsFaults {
  /** CT of this phase mounted backwards: its current and power change sign. */
  reversedCt?: 1 | 2 | 3;
  /** No voltage on this phase (a blown fuse, a missing wire). */
  missingPhase?: 1 | 2 | 3;
  /** The meter's voltage wire of this phase is missing while the phase still carries load current. */
  missingVoltageTap?: 1 | 2 | 3;
  /** L1-L3-L2 instead of L1-L2-L3. */
  reversedSequence?: boolean;
  /** Power factor the meter reports (implausible values test the commissioning checks). */
  powerFactor?: number;
}

export interface PhysicsOptions {
  phases: 1 | 3;
  /** Peak current per phase, A. */
  peakCurrent?: number;
  /** Length of one simulated "day" in seconds (default 600); 0 holds the load curve still. */
  dayS?: number;
  /** Scale of the random noise on every quantity (default 1; 0: none). */
  noise?: number;
  seed?: number;
  faults?: PhysicsFaults;
  /** Energy counters start here, kWh. */
  startEnergy?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

export class MeterPhysics {
  private readonly rand: () => number;
  private energyImport: number;
  private energyExport: number;
  private reactiveImport = 0;
  private lastT: number;
  private values: Record<string, number> = {};
  faults: PhysicsFaults;

  constructor(
    readonly o: PhysicsOptions,
    now = Date.now(),
  ) {
    this.rand = rng(o.seed ?? 12345);
    this.energyImport = o.startEnergy ?? 1000 + (o.seed ?? 0) * 37.5;
    this.energyExport = (o.startEnergy ?? 100) / 10;
    this.lastT = now;
    this.faults = { ...o.faults };
    this.step(now);
  }

  private noise(amplitude: number): number {
    return (this.rand() * 2 - 1) * amplitude * (this.o.noise ?? 1);
  }

  /** Advances the state to `now` and returns every quantity keyed by catalogue key. */
  step(now = Date.now()): Record<string, number> {
    const dtH = Math.max(0, now - this.lastT) / 3_600_000;
    this.lastT = now;
    const day = (this.o.dayS ?? 600) * 1000;
    const phase = day > 0 ? ((now % day) / day) * 2 * Math.PI : Math.PI / 2;
    // Morning and evening peaks, a floor at night.
    const curve =
      0.25 + 0.45 * Math.max(0, Math.sin(phase - 0.6)) + 0.3 * Math.max(0, Math.sin(2 * phase + 0.8));
    const peak = this.o.peakCurrent ?? 16;
    const pf = this.faults.powerFactor ?? 0.95 + this.noise(0.02);
    const v: Record<string, number> = {};
    let pTotal = 0;
    let qTotal = 0;
    let sTotal = 0;
    const n = this.o.phases;
    for (let l = 1; l <= n; l++) {
      const u = this.faults.missingPhase === l ? 0 : 230 + this.noise(1.5) + (l - 2) * 0.8;
      let i = u === 0 ? 0 : Math.max(0.05, peak * curve * (1 + 0.15 * (l - 2)) + this.noise(0.3));
      const sign = this.faults.reversedCt === l ? -1 : 1;
      // Without its voltage tap the meter measures current but computes no power for that phase.
      const tapMissing = this.faults.missingVoltageTap === l;
      const s = tapMissing ? 0 : u * i;
      const p = sign * s * Math.min(1, Math.abs(pf));
      const q = Math.sqrt(Math.max(0, s * s - p * p));
      i = sign * i;
      v[`voltage_l${l}`] = tapMissing ? 0 : round(u, 1);
      v[`current_l${l}`] = round(i, 3);
      v[`active_power_l${l}`] = round(p, 1);
      v[`reactive_power_l${l}`] = round(q, 1);
      v[`apparent_power_l${l}`] = round(s, 1);
      v[`power_factor_l${l}`] = round(s ? p / s : 1, 3);
      pTotal += p;
      qTotal += q;
      sTotal += s;
    }
    if (n === 3) {
      const u1 = v.voltage_l1 ?? 0;
      const u2 = v.voltage_l2 ?? 0;
      const u3 = v.voltage_l3 ?? 0;
      const ll = (a: number, b: number): number => round(Math.sqrt(a * a + b * b + a * b), 1);
      v.voltage_l1_l2 = ll(u1, u2);
      v.voltage_l2_l3 = ll(u2, u3);
      v.voltage_l3_l1 = ll(u3, u1);
      v.voltage_ln = round((u1 + u2 + u3) / 3, 1);
      v.voltage_ll = round((v.voltage_l1_l2 + v.voltage_l2_l3 + v.voltage_l3_l1) / 3, 1);
      v.current_n = round(Math.abs(this.noise(0.4)), 3);
      v.phase_sequence = this.faults.reversedSequence ? 1 : 0;
      // EM3xx layout: bit0 wrong voltage sequence, bit1..3 phase 1..3 current inverted.
      v.wrong_connection_flags =
        (this.faults.reversedSequence ? 1 : 0) | (this.faults.reversedCt ? 1 << this.faults.reversedCt : 0);
    } else {
      v.voltage = v.voltage_l1 ?? 0;
      v.current = v.current_l1 ?? 0;
    }
    if (pTotal >= 0) this.energyImport += (pTotal / 1000) * dtH;
    else this.energyExport += (-pTotal / 1000) * dtH;
    this.reactiveImport += (qTotal / 1000) * dtH;
    v.active_power = round(pTotal, 1);
    v.reactive_power = round(qTotal, 1);
    v.apparent_power = round(sTotal, 1);
    v.power_factor = round(sTotal ? pTotal / sTotal : 1, 3);
    v.frequency = round(50 + this.noise(0.03), 2);
    v.energy_import = round(this.energyImport, 3);
    v.energy_export = round(this.energyExport, 3);
    v.reactive_energy_import = round(this.reactiveImport, 3);
    v.reactive_energy_export = 0;
    v.apparent_energy = round(this.energyImport * 1.05, 3);
    v.energy_import_t1 = round(this.energyImport * 0.6, 3);
    v.energy_import_t2 = round(this.energyImport * 0.4, 3);
    v.demand_power = round(pTotal, 1);
    v.run_hours = round(this.lastT / 3_600_000 - 480_000, 2);
    for (let l = 1; l <= n; l++) {
      v[`energy_import_l${l}`] = round(this.energyImport / n, 3);
      v[`thd_voltage_l${l}`] = round(2 + this.noise(0.3), 1);
      v[`thd_current_l${l}`] = round(8 + this.noise(1), 1);
    }
    this.values = v;
    return v;
  }

  get current(): Record<string, number> {
    return this.values;
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
