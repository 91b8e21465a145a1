/**
 * The load-step test, as pure analysis: a known resistive load (a kettle, a heater) is switched on one
 * conductor at a time; the meter's per-phase active and reactive power before, during and after tell
 * which CT input saw the step, in which direction and at what angle, and how big it was. P and Q are
 * linear in the current, so the step's own P and Q are exact differences whatever else runs.
 */
export type Phase = 1 | 2 | 3;

/** One reading of a meter's per-phase powers (averaged over a few reads), W and var. */
export interface PhaseSnapshot {
  /** The middle of the reads it averages, ms. */
  t: number;
  p: [number, number, number];
  /** Signed reactive power (inductive positive), as the meters of the library report it. */
  q: [number, number, number];
}

export interface StepReadings {
  /** The conductor the technician switched the load on. */
  phase: Phase;
  before: PhaseSnapshot;
  during: PhaseSnapshot;
  after: PhaseSnapshot;
}

export type StepVerdict = 'pass' | 'wrong-phase' | 'reversed' | 'ratio' | 'no-step' | 'also-seen';

export interface StepResult {
  phase: Phase;
  /** The CT input that saw the step (null: none did). */
  seenOn: Phase | null;
  deltaW: number;
  deltaVar: number;
  /** |ΔS| on that input, VA. */
  stepVA: number;
  /** ΔP / |ΔS|: +1 a resistive step on the right phase, −1 reversed, ±0.5 another phase. */
  pf: number;
  /** Angle of the step's current against that input's voltage, degrees (−180..180). */
  angle: number;
  /** stepVA ÷ expected. */
  ratio: number;
  verdicts: StepVerdict[];
  ok: boolean;
  /** What was seen, in words. */
  message: string;
  /** What to do about it, in words (empty when it passed). */
  fixes: string[];
}

export interface LoadStepResult {
  at: number;
  uid: number;
  label: string;
  expectedW: number;
  /** Allowed deviation of the measured step from the expected one, fraction (0.1 = ±10 %). */
  tolerance: number;
  /** The meter's CT ratio setting when it was read (for the fix of a ratio that is off). */
  ctRatio: number | null;
  steps: StepResult[];
  ok: boolean;
}

export const DEFAULT_STEP_W = 2000;
export const DEFAULT_TOLERANCE = 0.1;
/** Below this share of the expected step an input did not see it. */
const SEEN_SHARE = 0.3;
/** Angle tolerance around the expected 0°, 180° or ±120°. */
const ANGLE_TOL = 35;

/** Voltage angle of each phase (L1 0°, L2 −120°, L3 +120°). */
const THETA: Record<Phase, number> = { 1: 0, 2: -120, 3: 120 };
const wrap = (deg: number): number => ((((deg + 180) % 360) + 360) % 360) - 180;
const near = (a: number, b: number): boolean => Math.abs(wrap(a - b)) <= ANGLE_TOL;
const r1 = (v: number): number => Math.round(v * 10) / 10;

/** Evaluates one step: which input saw it, with what sign, angle and size. */
export function evaluateStep(
  s: StepReadings,
  o: { expectedW: number; tolerance: number; phases: readonly Phase[]; ctRatio: number | null },
): StepResult {
  // What the meter would have read at `during` without the step: between before and after by time,
  // so a load that drifts (and a snapshot that took longer on a busy line) does not count as step.
  const span = s.after.t - s.before.t;
  const w = span > 0 ? Math.min(1, Math.max(0, (s.during.t - s.before.t) / span)) : 0.5;
  const base = (a: number, b: number): number => a + (b - a) * w;
  const d = o.phases.map((j) => {
    const i = j - 1;
    const dp = s.during.p[i]! - base(s.before.p[i]!, s.after.p[i]!);
    const dq = s.during.q[i]! - base(s.before.q[i]!, s.after.q[i]!);
    return { j, dp, dq, va: Math.hypot(dp, dq) };
  });
  const sorted = [...d].sort((a, b) => b.va - a.va);
  const top = sorted[0];
  const c = s.phase;
  if (!top || top.va < SEEN_SHARE * o.expectedW)
    return {
      phase: c,
      seenOn: null,
      deltaW: r1(top?.dp ?? 0),
      deltaVar: r1(top?.dq ?? 0),
      stepVA: r1(top?.va ?? 0),
      pf: 0,
      angle: 0,
      ratio: Math.round(((top?.va ?? 0) / o.expectedW) * 100) / 100,
      verdicts: ['no-step'],
      ok: false,
      message: `no CT saw the ${o.expectedW} W step on L${c} (largest change ${Math.round(top?.va ?? 0)} VA)`,
      fixes: [
        `make sure the load really is on L${c} and downstream of this meter's CTs, then repeat; if it is, the CTs are on another circuit`,
      ],
    };
  const j = top.j;
  const angle = (Math.atan2(top.dq, top.dp) * 180) / Math.PI;
  const pf = top.dp / top.va;
  const ratio = top.va / o.expectedW;
  const verdicts: StepVerdict[] = [];
  const fixes: string[] = [];
  const expected = THETA[j] - THETA[c];
  const reversed = near(angle, expected + 180);
  if (j !== c) {
    verdicts.push('wrong-phase');
    fixes.push(`CT${j} sits on L${c}: move CT${j} onto L${j} (and the CT now on L${j} to its own phase)`);
  }
  if (reversed) {
    verdicts.push('reversed');
    fixes.push(`CT${j} is reversed: swap S1/S2 of CT${j} (or set the meter's CT direction for L${j})`);
  } else if (!near(angle, expected))
    fixes.push(
      `the step's angle (${Math.round(angle)}°) fits no wiring of a resistive load: is the load resistive?`,
    );
  if (Math.abs(ratio - 1) > o.tolerance) {
    verdicts.push('ratio');
    const setTo = o.ctRatio !== null ? Math.round((o.ctRatio / ratio) * 10) / 10 : null;
    fixes.push(
      `the step measured ${Math.round(top.va)} VA for a ${o.expectedW} W load (×${ratio.toFixed(2)}, tolerance ±${Math.round(o.tolerance * 100)} %): the meter's CT ratio does not match the CTs${setTo !== null ? `; set it to about ${setTo} (now ${o.ctRatio}) after checking the CTs' rating plate` : ''}`,
    );
  }
  for (const other of sorted.slice(1))
    if (other.va >= SEEN_SHARE * o.expectedW) {
      verdicts.push('also-seen');
      fixes.push(`CT${other.j} also saw the step (${Math.round(other.va)} VA): two CTs on one conductor?`);
    }
  const ok = verdicts.length === 0;
  if (ok) verdicts.push('pass');
  return {
    phase: c,
    seenOn: j,
    deltaW: r1(top.dp),
    deltaVar: r1(top.dq),
    stepVA: r1(top.va),
    pf: Math.round(pf * 100) / 100,
    angle: Math.round(angle),
    ratio: Math.round(ratio * 100) / 100,
    verdicts,
    ok,
    message: `step on L${c} seen by CT${j}: ${Math.round(top.dp)} W, PF ${pf.toFixed(2)}, ${Math.round(ratio * 100)} % of ${o.expectedW} W`,
    fixes,
  };
}
