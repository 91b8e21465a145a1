import type { LoadType, SystemType } from '../../src-preload/contract/domain.js';
import { ModbusDriver } from '../drivers/modbus-driver.js';
import { SYSTEM_TYPE_KEY, systemOfValue } from '../drivers/system-type.js';
import { readConfig, type ConfigTarget } from './config-read.js';
import { evaluate, type Finding } from './checks.js';
import { explainFailure } from './explain.js';

export interface CheckReport {
  /** No finding of severity error. */
  ok: boolean;
  answered: boolean;
  /** One line: "Carlo Gavazzi EM24 at unit 1 on /dev/ttyUSB0@9600,8N1: 2 problems". */
  summary: string;
  findings: Finding[];
  /** What the meter read, by catalogue key (valid readings only). */
  values: Record<string, number>;
  /** Keys this meter variant lacks (exception 2). */
  unsupported: string[];
  meterSystem: SystemType | null;
  durationMs: number;
}

/**
 * Reads every signal of a meter and what it says about its own setup, then compares that with the
 * configuration (see evaluate for the rules). One read: run it again after a fix.
 */
export async function checkMeter(
  t: ConfigTarget,
  config: { system: SystemType; loadType: LoadType },
): Promise<CheckReport> {
  const started = Date.now();
  const where = `${t.model.vendor} ${t.model.name} at unit ${t.unit} on ${t.bus.endpoint}`;
  const r = await new ModbusDriver(t.bus, t.model, t.unit).read();
  const values: Record<string, number> = {};
  for (const x of r.readings) if (x.status === 1 && typeof x.value === 'number') values[x.key] = x.value;
  const answered = r.readings.some((x) => x.status !== 0);
  if (!answered) {
    const finding: Finding = {
      code: 'no-answer',
      severity: 'error',
      message: explainFailure(r.errors[0] ?? new Error('no answer')),
      fix: 'check the unit id, the serial settings (baud, parity), A/B polarity and the bus termination',
    };
    return {
      ok: false,
      answered,
      summary: `${where}: no answer`,
      findings: [finding],
      values,
      unsupported: r.unsupported,
      meterSystem: null,
      durationMs: Date.now() - started,
    };
  }
  let meterSystem: SystemType | undefined;
  if (t.model.config?.some((c) => c.key === SYSTEM_TYPE_KEY)) {
    const [s] = await readConfig(t, [SYSTEM_TYPE_KEY]);
    if (s?.value !== null && s?.value !== undefined) meterSystem = systemOfValue(t.model, s.value);
  }
  const findings = evaluate({ ...config, meterSystem, values });
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  return {
    ok: errors === 0,
    answered,
    summary: `${where}: ${findings.length ? `${errors} problem(s), ${warnings} warning(s)/note(s)` : 'wiring and setup look right'}`,
    findings,
    values,
    unsupported: r.unsupported,
    meterSystem: meterSystem ?? null,
    durationMs: Date.now() - started,
  };
}
