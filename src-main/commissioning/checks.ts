import type { LoadType, SystemType } from '../../src-preload/contract/domain.js';

export interface Finding {
  code:
    | 'no-answer'
    | 'system-mismatch'
    | 'phase-sequence'
    | 'ct-reversed'
    | 'phases-exchanged'
    | 'voltage-missing'
    | 'current-without-voltage'
    | 'power-sign'
    | 'pf-low'
    | 'pf-impossible'
    | 'unexpected-voltage'
    | 'frequency';
  severity: 'error' | 'warning' | 'info';
  phase?: 1 | 2 | 3;
  /** What is wrong, in words. */
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface CheckInput {
  /** The wiring system the device is configured with. */
  system: SystemType;
  /** The wiring system the meter itself is set to, when its model exposes it. */
  meterSystem?: SystemType;
  loadType: LoadType;
  /** Valid readings by catalogue key, in catalogue units. */
  values: Readonly<Record<string, number>>;
}

/** Below this a phase has no voltage (a blown fuse reads a few volts of induced noise, not 230). */
const VOLTAGE_PRESENT_V = 50;
const CURRENT_PRESENT_A = 0.2;
/** Smaller powers are noise at no load and say nothing about a CT's direction. */
const POWER_SIGNIFICANT_W = 20;
const PF_LOW = 0.5;
const PF_TOLERANCE = 0.005;

const PHASES: Record<SystemType, (1 | 2 | 3)[]> = {
  '1P': [1],
  '2P': [1, 2],
  '3P': [1, 2, 3],
  '3P.N': [1, 2, 3],
};

/** A per-phase quantity; single-phase meters report the phase-less key instead. */
function perPhase(values: CheckInput['values'], base: string, l: 1 | 2 | 3): number | undefined {
  return values[`${base}_l${l}`] ?? (l === 1 ? values[base] : undefined);
}

const fmt = (v: number, unit: string): string =>
  `${Number(v.toFixed(Math.abs(v) < 10 ? 2 : 1))} ${unit}`.trim();

/**
 * What a meter's own readings say about its wiring, compared with the configuration. Pure: the
 * readings come from checkDevice (or a test), so each rule is testable with plain numbers.
 */
export function evaluate(input: CheckInput): Finding[] {
  const { values, system } = input;
  const out: Finding[] = [];
  if (input.meterSystem && input.meterSystem !== system)
    out.push({
      code: 'system-mismatch',
      severity: 'warning',
      message: `the meter is set to ${input.meterSystem} but the device is configured as ${system}`,
      fix: `set the meter's measuring system to ${system} (configure --set system_type=…), or correct the device's wiring system if the meter is right`,
    });
  const expected = PHASES[system];
  const missing = new Set<number>();
  for (const l of expected) {
    const u = perPhase(values, 'voltage', l);
    // 3P without neutral: phase-to-neutral voltages are not measured, so they cannot be missing.
    if (u === undefined || system === '3P' || u >= VOLTAGE_PRESENT_V) continue;
    missing.add(l);
    const i = perPhase(values, 'current', l);
    if (i !== undefined && Math.abs(i) >= CURRENT_PRESENT_A)
      out.push({
        code: 'current-without-voltage',
        severity: 'error',
        phase: l,
        message: `L${l} carries ${fmt(Math.abs(i), 'A')} but the meter sees no voltage on it (${fmt(u, 'V')})`,
        fix: `the L${l} voltage wire to the meter is missing, loose or its fuse is open; the CT is fine. Wire L${l} to the meter's voltage terminal`,
      });
    else
      out.push({
        code: 'voltage-missing',
        severity: 'error',
        phase: l,
        message: `L${l} has no voltage (${fmt(u, 'V')}) though the device is configured ${system}`,
        fix: `check the L${l} fuse and the voltage wire to the meter, or set the system type to the phases actually wired`,
      });
  }
  for (const l of [1, 2, 3] as const) {
    if (expected.includes(l)) continue;
    const u = values[`voltage_l${l}`];
    if (u !== undefined && u >= VOLTAGE_PRESENT_V)
      out.push({
        code: 'unexpected-voltage',
        severity: 'info',
        phase: l,
        message: `L${l} has ${fmt(u, 'V')} although the device is configured ${system}`,
        fix: 'if this is a three-phase connection, set the system type to 3P.N (or 3P without neutral)',
      });
  }
  const threePhase = expected.length === 3 && missing.size === 0;
  if (threePhase && values.phase_sequence === 1)
    out.push({
      code: 'phase-sequence',
      severity: 'error',
      message: 'the phase sequence is L1-L3-L2 (reversed)',
      fix: "swap two phase wires at the meter's voltage terminals (e.g. L2 and L3) and move their CTs along, so each CT stays with its voltage",
    });
  out.push(...fromConnectionFlags(values, threePhase && values.phase_sequence === undefined));
  out.push(...powerSigns(input, expected, missing, out));
  out.push(...powerFactors(values, expected, missing));
  const f = values.frequency;
  if (f !== undefined && f > 0 && (f < 45 || f > 65))
    out.push({
      code: 'frequency',
      severity: 'warning',
      message: `the frequency reads ${fmt(f, 'Hz')}`,
      fix: 'a mains frequency is 50 or 60 Hz: check the voltage wiring and the meter type',
    });
  return out;
}

/** EM3xx wrong-connection bits: 0 voltage sequence, 1..3 current of L1..L3 inverted, 4..7 phases exchanged. */
function fromConnectionFlags(values: CheckInput['values'], sequenceUnknown: boolean): Finding[] {
  const flags = values.wrong_connection_flags;
  if (flags === undefined || flags === 0) return [];
  const out: Finding[] = [];
  if (flags & 1 && sequenceUnknown)
    out.push({
      code: 'phase-sequence',
      severity: 'error',
      message: 'the meter reports a wrong voltage sequence',
      fix: "swap two phase wires at the meter's voltage terminals and move their CTs along",
    });
  for (const l of [1, 2, 3] as const)
    if (flags & (1 << l))
      out.push({
        code: 'ct-reversed',
        severity: 'error',
        phase: l,
        message: `the meter reports the L${l} current inverted`,
        fix: `the L${l} CT is mounted backwards: turn it around or swap its S1/S2 wires`,
      });
  const pairs: [number, string][] = [
    [4, 'L1 and L2'],
    [5, 'L1 and L3'],
    [6, 'L2 and L3'],
    [7, 'L1, L2 and L3'],
  ];
  for (const [bit, which] of pairs)
    if (flags & (1 << bit))
      out.push({
        code: 'phases-exchanged',
        severity: 'error',
        message: `the meter reports phases ${which} exchanged`,
        fix: `the CTs of ${which} sit on each other's conductors (or their voltage wires are crossed): match each CT to its voltage phase`,
      });
  return out;
}

function powerSigns(
  input: CheckInput,
  expected: readonly (1 | 2 | 3)[],
  missing: ReadonlySet<number>,
  sofar: readonly Finding[],
): Finding[] {
  const powers = expected
    .filter((l) => !missing.has(l))
    .map((l) => ({ l, p: perPhase(input.values, 'active_power', l) }))
    .filter(
      (x): x is { l: 1 | 2 | 3; p: number } => x.p !== undefined && Math.abs(x.p) >= POWER_SIGNIFICANT_W,
    );
  const flagged = new Set(sofar.filter((f) => f.code === 'ct-reversed').map((f) => f.phase));
  const out: Finding[] = [];
  if (input.loadType === 0) {
    for (const { l, p } of powers)
      if (p < 0 && !flagged.has(l))
        out.push({
          code: 'ct-reversed',
          severity: 'error',
          phase: l,
          message: `L${l} active power is negative (${fmt(p, 'W')}) on a consumption load`,
          fix: `the L${l} CT is probably mounted backwards: turn it around or swap its S1/S2 wires`,
        });
    return out;
  }
  // Production or grid exchange: negative power is normal, but one phase against the others is suspicious.
  const neg = powers.filter((x) => x.p < 0);
  const pos = powers.filter((x) => x.p > 0);
  const odd = neg.length === 1 && pos.length >= 2 ? neg : pos.length === 1 && neg.length >= 2 ? pos : [];
  for (const { l, p } of odd)
    if (!flagged.has(l))
      out.push({
        code: 'power-sign',
        severity: 'warning',
        phase: l,
        message: `L${l} active power (${fmt(p, 'W')}) has the opposite sign of the other phases`,
        fix: `check the L${l} CT direction (turn it around or swap S1/S2), unless L${l} really flows the other way`,
      });
  return out;
}

function powerFactors(
  values: CheckInput['values'],
  expected: readonly (1 | 2 | 3)[],
  missing: ReadonlySet<number>,
): Finding[] {
  const out: Finding[] = [];
  for (const l of expected) {
    if (missing.has(l)) continue;
    const pf = perPhase(values, 'power_factor', l);
    const i = perPhase(values, 'current', l);
    if (pf === undefined) continue;
    if (Math.abs(pf) > 1 + PF_TOLERANCE)
      out.push({
        code: 'pf-impossible',
        severity: 'error',
        phase: l,
        message: `L${l} power factor reads ${pf}, more than 1 is impossible`,
        fix: "the meter's CT or VT ratio does not match the transformers, or its voltage and current inputs are mixed up: check the ratios and the wiring",
      });
    else if (Math.abs(pf) < PF_LOW && i !== undefined && Math.abs(i) >= CURRENT_PRESENT_A)
      out.push({
        code: 'pf-low',
        severity: 'warning',
        phase: l,
        message: `L${l} power factor ${pf} is implausibly low`,
        fix: `the L${l} CT probably sits on another phase's conductor: make sure it is on the conductor whose voltage goes to the meter's L${l} terminal`,
      });
  }
  return out;
}
