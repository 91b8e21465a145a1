/**
 * How a simulated meter is installed on site, for the commissioning tests and the demo: which conductor
 * each CT sits on, which CTs are mounted backwards, the ratio of the CTs actually fitted (the meter
 * scales by its own CT-ratio setting), and loads a technician switches on per conductor. The clean
 * per-phase quantities of MeterPhysics are turned into what such a meter would measure, with phasors,
 * so a CT on another phase shows the ±120° shift a real one does.
 */
export type Phase = 1 | 2 | 3;

export interface SiteWiring {
  /** The conductor each CT input sits on: ctOn[0] is CT1's. Default [1, 2, 3]. */
  ctOn?: [Phase, Phase, Phase];
  /** CT inputs mounted backwards (S1/S2 swapped). */
  reversed?: Phase[];
  /** Ratio of the CTs actually fitted; unset: the meter's setting is right, whatever it is. */
  installedCtRatio?: number;
}

const DEG = Math.PI / 180;
/** Voltage angle of each conductor (L1 0°, L2 −120°, L3 +120°). */
const ANGLE: Record<Phase, number> = { 1: 0, 2: -120 * DEG, 3: 120 * DEG };

interface Phasor {
  re: number;
  im: number;
}
const polar = (mag: number, angle: number): Phasor => ({
  re: mag * Math.cos(angle),
  im: mag * Math.sin(angle),
});
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

export class SiteConditions {
  /** Extra resistive load on each conductor, W (a kettle switched on L2: [0, 2000, 0]). */
  loadW: [number, number, number] = [0, 0, 0];
  /** Changes with every switch, so a meter's cached snapshot is not served after one. */
  version = 0;

  constructor(public wiring: SiteWiring = {}) {}

  /** Switches a resistive load on (watts > 0) or off (0) on one conductor. */
  switchLoad(phase: Phase, watts: number): void {
    this.loadW[phase - 1] = watts;
    this.version++;
  }

  /**
   * What the meter measures, from the true per-conductor values (voltage, current, power factor) and
   * the meter's CT-ratio setting. Three-phase meters only change; totals follow the phases.
   */
  apply(values: Record<string, number>, meterCtRatio: number | undefined): Record<string, number> {
    if (values.voltage_l3 === undefined) return this.applySingle(values, meterCtRatio);
    const conductors = ([1, 2, 3] as const).map((c) => this.conductorCurrent(values, c));
    const out = { ...values };
    let p = 0;
    let q = 0;
    let s = 0;
    const ctOn = this.wiring.ctOn ?? [1, 2, 3];
    for (const k of [1, 2, 3] as const) {
      const seen = this.scale(conductors[(ctOn[k - 1] ?? k) - 1]!, k, meterCtRatio);
      const ch = this.measure(values[`voltage_l${k}`] ?? 0, ANGLE[k], seen);
      out[`current_l${k}`] = round(ch.p < 0 ? -ch.i : ch.i, 3);
      out[`active_power_l${k}`] = round(ch.p, 1);
      out[`reactive_power_l${k}`] = round(ch.q, 1);
      out[`apparent_power_l${k}`] = round(ch.s, 1);
      out[`power_factor_l${k}`] = round(ch.s ? ch.p / ch.s : 1, 3);
      p += ch.p;
      q += ch.q;
      s += ch.s;
    }
    out.active_power = round(p, 1);
    out.reactive_power = round(q, 1);
    out.apparent_power = round(s, 1);
    out.power_factor = round(s ? p / s : 1, 3);
    out.demand_power = out.active_power;
    out.wrong_connection_flags = (this.wiring.reversed ?? []).reduce((f, l) => f | (1 << l), 0);
    return out;
  }

  private applySingle(
    values: Record<string, number>,
    meterCtRatio: number | undefined,
  ): Record<string, number> {
    const u = values.voltage_l1 ?? values.voltage ?? 0;
    const ch = this.measure(u, 0, this.scale(this.conductorCurrent(values, 1), 1, meterCtRatio));
    const i = round(ch.p < 0 ? -ch.i : ch.i, 3);
    return {
      ...values,
      current: i,
      current_l1: i,
      active_power: round(ch.p, 1),
      active_power_l1: round(ch.p, 1),
      reactive_power: round(ch.q, 1),
      apparent_power: round(ch.s, 1),
      power_factor: round(ch.s ? ch.p / ch.s : 1, 3),
      power_factor_l1: round(ch.s ? ch.p / ch.s : 1, 3),
    };
  }

  /**
   * The true active power on each conductor, W (positive: drawn from the grid), whatever the CTs do:
   * what a utility meter at the connection measures of the load behind this meter.
   */
  conductorPower(values: Record<string, number>): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    const three = values.voltage_l3 !== undefined;
    for (const c of three ? ([1, 2, 3] as const) : ([1] as const)) {
      const u = three ? (values[`voltage_l${c}`] ?? 0) : (values.voltage_l1 ?? values.voltage ?? 0);
      out[c - 1] = round(this.measure(u, ANGLE[c], this.conductorCurrent(values, c)).p, 1);
    }
    return out;
  }

  /** The true current phasor of a conductor: its base load lagging by acos(PF), plus the switched load. */
  private conductorCurrent(values: Record<string, number>, c: Phase): Phasor {
    const u = values[`voltage_l${c}`] ?? values.voltage ?? 230;
    const i = Math.abs(values[`current_l${c}`] ?? values.current ?? 0);
    const pf = Math.min(1, Math.abs(values[`power_factor_l${c}`] ?? values.power_factor ?? 1));
    const base = polar(i, ANGLE[c] - Math.acos(pf));
    const step = polar(u > 0 ? (this.loadW[c - 1] ?? 0) / u : 0, ANGLE[c]);
    return { re: base.re + step.re, im: base.im + step.im };
  }

  /** A reversed CT flips the current; a CT ratio set wrong scales it by setting ÷ fitted. */
  private scale(i: Phasor, input: Phase, meterCtRatio: number | undefined): Phasor {
    const installed = this.wiring.installedCtRatio;
    const k =
      (installed ? (meterCtRatio ?? 1) / installed : 1) * (this.wiring.reversed?.includes(input) ? -1 : 1);
    return { re: i.re * k, im: i.im * k };
  }

  private measure(u: number, angle: number, i: Phasor): { i: number; p: number; q: number; s: number } {
    const uv = polar(u, angle);
    // S = U · conj(I)
    const p = uv.re * i.re + uv.im * i.im;
    const q = uv.im * i.re - uv.re * i.im;
    const mag = Math.hypot(i.re, i.im);
    return { i: mag, p, q, s: u * mag };
  }
}
