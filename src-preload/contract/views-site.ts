/**
 * What the site calls answer: the plan with the descriptors its form is built from, the plan against
 * the wire, the write-plan job, load-step readings and verdicts, the baseline and drift since it.
 * Plain types mirroring the engine's site/ results (main's handlers must return exactly these).
 */
import type { SystemType } from './domain.js';
import type { Site } from './site.js';
import type { ConfigWriteResult } from './views.js';

/** One setting a planned device may carry, as its model describes it (commands are not offered). */
export interface SiteSettingView {
  key: string;
  label: string;
  unit: string | null;
  choices: { value: number; label: string }[] | null;
  min: number | null;
  max: number | null;
}

/** A model the plan may name: the form offers its systems, its CT ratio and its other settings. */
export interface SiteModelView {
  id: string;
  vendor: string;
  name: string;
  systems: SystemType[];
  hasCtRatio: boolean;
  /** Every writable setting but the CT ratio and the wiring system (those have fields of their own). */
  settings: SiteSettingView[];
}

export interface SiteView {
  /** Null until a site is started or imported. */
  site: Site | null;
  /** Modbus models of the library (M-Bus and P1 devices are planned as "meterBus" and "P1"). */
  models: SiteModelView[];
  /** When the hand-over baseline was taken (null: not yet), and how many settings it holds. */
  baselineAt: number | null;
  baselineSettings: number;
}

export interface SiteFileView {
  fileName: string;
  text: string;
}

/** A device seen on the wire (a scan, a probe of a planned or configured address, the configuration). */
export interface WireDeviceView {
  bus: string;
  unit?: number;
  mbusAddress?: number | string;
  kind: 'meter' | 'unknown' | 'not-a-meter';
  model?: string;
  modelName?: string;
  partNumber?: string;
  serialNumber?: string;
  firmware?: string;
  system?: SystemType;
  settings: Record<string, number | null>;
  uid?: number;
  source: 'scan' | 'probe' | 'configured';
}

export interface PlanDifferenceView {
  /** "model", "system", "ct_ratio", "firmware", "serial", "address", or a setting's key. */
  field: string;
  planned: string | number;
  found: string | number | null;
}

export interface PlanMatchView {
  index: number;
  label: string;
  outcome: 'ok' | 'differs' | 'missing';
  matchedBy: 'address' | 'serial' | null;
  wire: WireDeviceView | null;
  differences: PlanDifferenceView[];
}

export interface PlanCheckView {
  at: number;
  ok: boolean;
  matches: PlanMatchView[];
  unplanned: WireDeviceView[];
  /** Lines that could not be asked (an adapter unplugged, a host unreachable). */
  notes: string[];
}

export interface WritePlanMeterView {
  index: number;
  label: string;
  uid: number | null;
  added: boolean;
  /** One outcome per setting (old → new, read back), null when nothing was written. */
  write: { ok: boolean; results: ConfigWriteResult[]; message: string } | null;
  skipped: string | null;
}

export interface WritePlanView {
  at: number;
  who: string;
  ok: boolean;
  meters: WritePlanMeterView[];
}

export interface PhaseSnapshotView {
  t: number;
  p: [number, number, number];
  q: [number, number, number];
}

export type StepVerdictView = 'pass' | 'wrong-phase' | 'reversed' | 'ratio' | 'no-step' | 'also-seen';

export interface StepResultView {
  phase: 1 | 2 | 3;
  seenOn: 1 | 2 | 3 | null;
  deltaW: number;
  deltaVar: number;
  stepVA: number;
  pf: number;
  angle: number;
  ratio: number;
  verdicts: StepVerdictView[];
  ok: boolean;
  message: string;
  fixes: string[];
}

export interface LoadStepView {
  at: number;
  uid: number;
  label: string;
  expectedW: number;
  tolerance: number;
  ctRatio: number | null;
  steps: StepResultView[];
  ok: boolean;
}

/** agree; differs (by a share no factor explains); sign reversed; ratio off; inconclusive (too little flow). */
export type CrossVerdictView = 'agree' | 'differs' | 'sign' | 'ratio' | 'inconclusive';

export interface CrossPhaseView {
  phase: 1 | 2 | 3;
  p1W: number;
  mainW: number;
  factor: number | null;
}

/** The P1 cross-check: window means (W, + import), their difference, the fitted factor, the verdict. */
export interface CrossCheckView {
  at: number;
  seconds: number;
  p1: { uid: number; label: string };
  main: { uid: number; label: string };
  samples: number;
  p1W: number;
  mainW: number;
  diffW: number;
  diffPct: number | null;
  toleranceW: number;
  factor: number | null;
  phases: CrossPhaseView[];
  energy: {
    p1Wh: number | null;
    mainWh: number | null;
    compared: boolean;
    toleranceWh: number;
    ok: boolean | null;
  };
  ctRatio: number | null;
  /** The CT ratio to set for a ratio off (null when unknown). */
  setCtRatio: number | null;
  /** Phases the main meter reads reversed against the P1 (one CT reversed). */
  reversedPhases: (1 | 2 | 3)[];
  verdict: CrossVerdictView;
  ok: boolean;
  message: string;
  fixes: string[];
}

export interface BaselineView {
  at: number;
  meters: number;
  settings: number;
}

export interface DriftChangeView {
  did: number;
  label: string;
  key: string;
  baseline: number | null;
  now: number | null;
  error: string | null;
}

export interface DriftView {
  baselineAt: number | null;
  at: number;
  changes: DriftChangeView[];
}

export interface SiteReportHtmlView {
  fileName: string;
  html: string;
}

/** The PDF as base64, so the JSON bridge carries it as it is. */
export interface SiteReportPdfView {
  fileName: string;
  base64: string;
}
