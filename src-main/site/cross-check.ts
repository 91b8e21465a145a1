/**
 * The cross-check with the utility meter, as pure analysis: the P1 meter's grid import/export and the
 * main (grid) meter's active power, sampled together over the same window (a minute by default), and
 * the energy counters' movement over it. A main meter wired right reads what the utility bills; a
 * reversed main meter reads the opposite sign; a CT ratio set wrong reads a consistent factor off.
 *
 * Tolerance (power): the window means may differ by 5 % of the P1 reading, at least 50 W (the P1 and
 * the main meter are not read at the same instant, and the P1 rounds to 1 W). Below 200 W through the
 * connection a reversal or a ratio cannot be told from noise, and the check says so instead of passing.
 * Tolerance (energy): compared only when the P1 counters moved 20× their combined resolution; then
 * 5 % of the P1's movement, at least twice the combined resolution.
 */

/** One pair of readings taken together: net power, W, positive = drawn from the grid. */
import type {
  CrossCheckView,
  CrossPhaseView,
  CrossVerdictView,
} from '../../src-preload/contract/views-site.js';
export interface CrossSample {
  t: number;
  p1W: number;
  mainW: number;
  /** Per-phase net power where both meters give it (DSMR 5 and a three-phase main meter). */
  p1Phases?: [number, number, number];
  mainPhases?: [number, number, number];
}

/** Net energy (import − export) read at the start and end of the window, Wh. */
export interface CrossEnergy {
  p1Wh: number | null;
  mainWh: number | null;
  /** Resolution of the main meter's energy counters, Wh (the P1's is 1 Wh). */
  mainResolutionWh: number;
}

/** The result is the contract's view itself: one definition for the engine, IPC and the UI. */
export type CrossVerdict = CrossVerdictView;
export type CrossPhase = CrossPhaseView;
export type CrossCheckResult = CrossCheckView;

export const CROSS_TOLERANCE = 0.05;
export const CROSS_FLOOR_W = 50;
/** Below this through the connection, sign and ratio cannot be judged. */
export const CROSS_MIN_FLOW_W = 200;
/** A factor within this of −1 is a plain reversal. */
const FACTOR_TOL = 0.1;
/** A factor further than this from 1 (and the same throughout) is a CT ratio; closer, a difference. */
const RATIO_MIN = 0.2;
/** A factor holds throughout when the samples scatter around it by less than this share (or the floor). */
const FIT_SCATTER = 0.1;
/** Per-phase factors are judged where the P1 phase carries at least this much. */
const PHASE_MIN_W = 100;
const P1_RESOLUTION_WH = 1;

const r1 = (v: number): number => Math.round(v * 10) / 10;
const r2 = (v: number): number => Math.round(v * 100) / 100;
const meanOf = (a: readonly number[]): number => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0);
const w = (v: number): string => `${Math.round(v)} W`;
const dir = (v: number): string => (v >= 0 ? 'import' : 'export');

/** main ≈ k · p1 over the samples (least squares through the origin), and whether k holds throughout. */
function fit(p: readonly number[], m: readonly number[]): { k: number; holds: boolean } | null {
  let pp = 0;
  let pm = 0;
  let mm = 0;
  for (let i = 0; i < p.length; i++) {
    pp += p[i]! * p[i]!;
    pm += p[i]! * m[i]!;
    mm += m[i]! * m[i]!;
  }
  if (pp <= 0) return null;
  const k = pm / pp;
  let rr = 0;
  for (let i = 0; i < p.length; i++) rr += (m[i]! - k * p[i]!) ** 2;
  const scatter = Math.sqrt(rr / p.length);
  return { k, holds: scatter <= Math.max(FIT_SCATTER * Math.sqrt(mm / p.length), CROSS_FLOOR_W) };
}

export interface CrossInput {
  at: number;
  seconds: number;
  p1: { uid: number; label: string };
  main: { uid: number; label: string };
  samples: readonly CrossSample[];
  energy: CrossEnergy;
  ctRatio: number | null;
}

export function analyseCrossCheck(x: CrossInput): CrossCheckResult {
  const n = x.samples.length;
  const p1W = meanOf(x.samples.map((s) => s.p1W));
  const mainW = meanOf(x.samples.map((s) => s.mainW));
  const diffW = mainW - p1W;
  const toleranceW = Math.max(CROSS_TOLERANCE * Math.abs(p1W), CROSS_FLOOR_W);
  const flowing = Math.abs(p1W) >= CROSS_MIN_FLOW_W;
  const p1s = x.samples.map((s) => s.p1W);
  const fitted = flowing
    ? fit(
        p1s,
        x.samples.map((s) => s.mainW),
      )
    : null;
  const factor = fitted?.k ?? null;
  // Whether the power changed enough in the window to tell a factor from an offset.
  const varied = n > 1 && Math.max(...p1s) - Math.min(...p1s) >= 0.2 * Math.abs(p1W);
  const withPhases = x.samples.filter((s) => s.p1Phases && s.mainPhases);
  // Per phase where both meters gave phases for most of the window (DSMR 5 and a three-phase meter).
  const phases: CrossPhase[] =
    n > 0 && withPhases.length * 2 >= n
      ? ([1, 2, 3] as const).map((phase) => {
          const p = meanOf(withPhases.map((s) => s.p1Phases![phase - 1] ?? 0));
          const m = meanOf(withPhases.map((s) => s.mainPhases![phase - 1] ?? 0));
          return {
            phase,
            p1W: r1(p),
            mainW: r1(m),
            factor: Math.abs(p) >= PHASE_MIN_W ? r2(m / p) : null,
          };
        })
      : [];
  const energy = energyOf(x.energy);
  const base = {
    at: x.at,
    seconds: x.seconds,
    p1: x.p1,
    main: x.main,
    samples: n,
    p1W: r1(p1W),
    mainW: r1(mainW),
    diffW: r1(diffW),
    diffPct: Math.abs(p1W) >= 1 ? r1((diffW / Math.abs(p1W)) * 100) : null,
    toleranceW: r1(toleranceW),
    factor: factor === null ? null : r2(factor),
    phases,
    energy,
    ctRatio: x.ctRatio,
    setCtRatio: null as number | null,
    reversedPhases: [] as (1 | 2 | 3)[],
  };
  const tol = `tolerance ±${Math.round(CROSS_TOLERANCE * 100)} % of the P1, at least ${CROSS_FLOOR_W} W`;
  const done = (
    verdict: CrossVerdict,
    message: string,
    fixes: string[] = [],
    more: Partial<Pick<CrossCheckResult, 'setCtRatio' | 'reversedPhases'>> = {},
  ): CrossCheckResult => ({ ...base, ...more, verdict, ok: verdict === 'agree', message, fixes });

  if (n === 0)
    return done('inconclusive', `no reading of both meters together in ${x.seconds} s`, [
      'check that both the P1 meter and the main meter answer (live values), then repeat',
    ]);
  const both = `P1 ${w(p1W)} ${dir(p1W)}, main meter ${w(mainW)} ${dir(mainW)}`;
  if (Math.abs(diffW) <= toleranceW) {
    if (!flowing && Math.abs(mainW) < CROSS_MIN_FLOW_W)
      return done(
        'inconclusive',
        `too little power through the connection to judge (${both}; at least ${CROSS_MIN_FLOW_W} W needed)`,
        ['switch on a load of 1 kW or more (a kettle, a heater) behind the main meter and repeat'],
      );
    if (energy.ok === false)
      return done(
        'differs',
        `the powers agree (${both}) but the energy counters moved differently over ${x.seconds} s: P1 ${energy.p1Wh} Wh, main meter ${energy.mainWh} Wh (tolerance ±${energy.toleranceWh} Wh)`,
        [
          "check which counters the main meter's model maps to import and export, and that both count the same direction",
        ],
      );
    return done('agree', `agree: ${both} over ${x.seconds} s (difference ${w(diffW)}, ${tol})`);
  }
  const pct = base.diffPct === null ? '' : ` (${base.diffPct > 0 ? '+' : ''}${base.diffPct} %)`;
  if (factor !== null) {
    // Phases the P1 sees carrying load: a factor shared by all of them is the whole meter's.
    const judged = phases.filter((p) => p.factor !== null);
    const reversedPhases = judged.filter((p) => Math.abs(p.factor! + 1) <= FACTOR_TOL * 2);
    const straightPhases = judged.filter((p) => Math.abs(p.factor! - 1) <= FACTOR_TOL * 2);
    const shared =
      fitted!.holds &&
      (judged.length < 2 ||
        judged.every((p) => Math.abs(p.factor! - factor) <= Math.max(FACTOR_TOL * Math.abs(factor), 0.1)));
    if (
      !shared &&
      reversedPhases.length > 0 &&
      reversedPhases.length + straightPhases.length === judged.length
    ) {
      const names = reversedPhases.map((p) => `L${p.phase}`).join(', ');
      return done(
        'sign',
        `sign reversed on ${names}: the main meter reads ${reversedPhases
          .map((p) => `${w(p.mainW)} on L${p.phase} where the P1 reads ${w(p.p1W)}`)
          .join('; ')} (${both})`,
        reversedPhases.map(
          (p) =>
            `CT${p.phase} of the main meter is reversed: swap S1/S2 of CT${p.phase} (or set the meter's CT direction for L${p.phase}); the load-step test confirms it`,
        ),
        { reversedPhases: reversedPhases.map((p) => p.phase) },
      );
    }
    if (shared && factor < 0) {
      const plain = Math.abs(factor + 1) <= FACTOR_TOL;
      return done(
        'sign',
        `sign reversed: the main meter reads ${dir(mainW)} where the P1 reads ${dir(p1W)} (${both}${plain ? '' : `; and ×${Math.abs(factor).toFixed(2)} in size`})`,
        [
          "the main meter is reversed: swap S1/S2 of all its CTs (or set the meter's CT direction), or check that grid and load side are not swapped on a direct-connected meter",
          ...(plain ? [] : ratioFix(Math.abs(factor), x.ctRatio)),
        ],
        { setCtRatio: plain ? null : ratioTo(Math.abs(factor), x.ctRatio) },
      );
    }
    if (shared && Math.abs(factor - 1) > RATIO_MIN)
      return done(
        'ratio',
        `ratio off: the main meter reads ×${factor.toFixed(2)} of the P1 throughout (${both}${pct})${varied ? '' : '; the power hardly changed in the window, so a circuit the main meter does not see would look alike (the load-step test tells them apart)'}`,
        ratioFix(factor, x.ctRatio),
        { setCtRatio: ratioTo(factor, x.ctRatio) },
      );
  }
  return done(
    'differs',
    `differs by ${base.diffPct === null ? w(diffW) : `${Math.abs(base.diffPct)} %`}: ${both}${pct}, more than the ${tol}, and no single factor explains it`,
    [
      'run the load-step test on the main meter (a CT reversed or on the wrong phase shows there)',
      'check that every circuit behind the P1 meter passes through the main meter (a PV inverter or a sub-board connected before the main meter)',
    ],
  );
}

/** The CT ratio setting that makes the main meter read what the P1 reads. */
function ratioTo(factor: number, ctRatio: number | null): number | null {
  return ctRatio !== null && factor > 0 ? Math.round((ctRatio / factor) * 10) / 10 : null;
}

function ratioFix(factor: number, ctRatio: number | null): string[] {
  const setTo = ratioTo(factor, ctRatio);
  return [
    `the main meter's CT ratio does not match its CTs (×${factor.toFixed(2)})${setTo !== null ? `: set it to about ${setTo} (now ${ctRatio})` : ''} after checking the CTs' rating plate`,
  ];
}

function energyOf(e: CrossEnergy): CrossCheckResult['energy'] {
  const resolution = e.mainResolutionWh + P1_RESOLUTION_WH;
  const toleranceWh = r1(Math.max(CROSS_TOLERANCE * Math.abs(e.p1Wh ?? 0), 2 * resolution));
  const compared = e.p1Wh !== null && e.mainWh !== null && Math.abs(e.p1Wh) >= 20 * resolution;
  return {
    p1Wh: e.p1Wh === null ? null : r1(e.p1Wh),
    mainWh: e.mainWh === null ? null : r1(e.mainWh),
    compared,
    toleranceWh,
    ok: compared ? Math.abs(e.mainWh! - e.p1Wh!) <= toleranceWh : null,
  };
}
