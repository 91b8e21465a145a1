import { ModbusError } from '../bus/errors.js';
import type { ConfigRegister, DeviceModel } from '../devices/model-schema.js';
import type { ConfigWriteOutcome } from '../store/config-writes-repo.js';
import { encodeSetting, isLinkSetting, representable, writeOrder } from './config-fields.js';
import { readConfig, type ConfigTarget } from './config-read.js';
import { validateValues } from './config-values.js';
import { explainFailure, LOCKED_MESSAGE } from './explain.js';
import { NO_JOURNAL, resolveEarlier, type ResolvedWrite, type WriteJournal } from './write-journal.js';

/** How a setting of a job ended (`pending` exists only in the journal, while it is being sent). */
export type SettingOutcome = Exclude<ConfigWriteOutcome, 'pending'>;

export interface WriteResult {
  key: string;
  label: string;
  old: number | null;
  requested: number;
  readBack: number | null;
  outcome: SettingOutcome;
  /** In words: "written and read back", "the meter refused the value (exception 3 …)". */
  message: string;
}

export interface WriteReport {
  ok: boolean;
  results: WriteResult[];
  /** Keys whose value reached the meter (verified or not). */
  written: string[];
  message: string;
  /** Writes of earlier, interrupted jobs on this meter that this job's first read settled. */
  resolved: ResolvedWrite[];
}

/** The keypad lock the EM24 reports in its front-selector register (3 = locked). */
const FRONT_SELECTOR_KEY = 'front_selector';
const LOCKED_POSITION = 3;

async function frontSelectorLocked(t: ConfigTarget): Promise<boolean> {
  const sig = t.model.signals.find((s) => s.key === FRONT_SELECTOR_KEY);
  if (!sig) return false;
  try {
    const [w] = await t.bus.readRegisters(t.unit, sig.fc, sig.register, 1);
    return w === LOCKED_POSITION;
  } catch {
    return false;
  }
}

/** Sends one setting. A two-word value over FC06 takes two writes: a failure after the first is reported. */
async function send(t: ConfigTarget, c: ConfigRegister, words: number[]): Promise<void> {
  if (c.writeFc === 16) {
    await t.bus.writeRegisters(t.unit, c.register, words);
    return;
  }
  for (let i = 0; i < words.length; i++) {
    try {
      await t.bus.writeRegister(t.unit, c.register + i, words[i] ?? 0);
    } catch (e) {
      if (i > 0 && e instanceof ModbusError)
        throw new ModbusError(e.kind, e.context, `only ${i} of ${words.length} words were written`);
      throw e;
    }
  }
}

async function readBack(t: ConfigTarget, c: ConfigRegister): Promise<number | null> {
  const [r] = await readConfig(t, [c.key]);
  if (!r || r.value === null) throw new Error(`reading it back failed: ${r?.error ?? 'no value'}`);
  return r.value;
}

/**
 * Writes settings to a meter as one job: every value validated before anything is sent, old values
 * read (which also settles writes an earlier, interrupted job left unknown), the meter's lock checked,
 * then written in a defined order (see writeOrder) and each read back. The first refusal, failure or
 * mismatch stops the job; the report says what was written before it. The journal gets an intent row
 * before each setting is sent and its outcome after, so a job killed in between leaves the setting
 * `pending`; running the same job again is safe: what the meter already holds is `unchanged`.
 */
export async function writeConfig(
  t: ConfigTarget,
  values: Readonly<Record<string, unknown>>,
  journal: WriteJournal = NO_JOURNAL,
): Promise<WriteReport> {
  const items = writeOrder(
    validateValues(t.model, values).map((v) => v.reg),
    t.model,
  ).map((reg) => ({ reg, value: values[reg.key] as number }));
  const results: WriteResult[] = [];
  const base = (reg: ConfigRegister, value: number, old: number | null) => ({
    key: reg.key,
    label: reg.label,
    old,
    requested: value,
    readBack: null,
  });

  const earlier = journal.unresolved();
  const keys = new Set([...items.map((i) => i.reg.key), ...earlier.map((e) => e.key)]);
  const old = new Map((await readConfig(t, [...keys])).map((r) => [r.key, r.value]));
  const resolved = resolveEarlier(t.model, earlier, old, journal);

  if (await frontSelectorLocked(t)) {
    for (const { reg, value } of items) {
      const r: WriteResult = { ...base(reg, value, null), outcome: 'refused', message: LOCKED_MESSAGE };
      results.push(r);
      journal.end(journal.begin(r), r);
    }
    return finish(results, t.model, resolved);
  }

  let stopped: string | undefined;
  for (const { reg, value } of items) {
    const before = old.get(reg.key) ?? null;
    if (stopped) {
      results.push({ ...base(reg, value, before), outcome: 'skipped', message: `not written: ${stopped}` });
      continue;
    }
    const target = representable(reg, t.model, value);
    if (!reg.writeOnly && before !== null && before === target) {
      results.push({
        ...base(reg, value, before),
        outcome: 'unchanged',
        message: 'already set; not written',
      });
      continue;
    }
    const intent = journal.begin({
      ...base(reg, value, before),
      outcome: 'pending',
      message: 'being sent: if the job ends here, whether it reached the meter is unknown',
    });
    let r: WriteResult;
    try {
      r = await writeOne(t, reg, value, before, target);
    } catch (e) {
      journal.end(intent, { ...base(reg, value, before), outcome: 'unknown', message: (e as Error).message });
      throw e;
    }
    results.push(r);
    journal.end(intent, r);
    if (r.outcome !== 'ok' && r.outcome !== 'unverified')
      stopped = `the job stopped at ${reg.key} (${r.outcome})`;
  }
  return finish(results, t.model, resolved);
}

async function writeOne(
  t: ConfigTarget,
  reg: ConfigRegister,
  value: number,
  before: number | null,
  target: number,
): Promise<WriteResult> {
  const r = { key: reg.key, label: reg.label, old: before, requested: value, readBack: null };
  try {
    await send(t, reg, encodeSetting(reg, t.model, value));
  } catch (e) {
    if (!(e instanceof ModbusError)) throw e;
    if (e.kind === 'exception') {
      const locked = await frontSelectorLocked(t);
      const why = locked ? LOCKED_MESSAGE : explainFailure(e);
      const partial = e.message.includes('words were written') ? ` (${e.message.split(': ').at(-1)})` : '';
      return {
        ...r,
        outcome: 'refused',
        message: `${why}${partial}${reg.note && !locked ? `. Note: ${reg.note}` : ''}`,
      };
    }
    return lostReply(t, reg, r, target, e);
  }
  if (reg.writeOnly)
    return { ...r, outcome: 'unverified', message: 'command sent (a command cannot be read back)' };
  if (isLinkSetting(reg.key))
    return {
      ...r,
      outcome: 'unverified',
      message:
        'written; the meter answers with the new setting (some only after a power cycle): update the device connection to match',
    };
  try {
    const back = await readBack(t, reg);
    if (back === target) return { ...r, readBack: back, outcome: 'ok', message: 'written and read back' };
    return {
      ...r,
      readBack: back,
      outcome: 'mismatch',
      message: `the meter acknowledged the write but holds ${back} instead of ${target}${reg.note ? `. Note: ${reg.note}` : ''}`,
    };
  } catch (e) {
    // The meter acknowledged the write, so it has the setting; only the check is missing.
    return {
      ...r,
      outcome: 'unverified',
      message: `the meter acknowledged the write, but ${(e as Error).message}`,
    };
  }
}

/**
 * The request went out (or may have) and no reply came: the line went away or the meter fell silent.
 * Reading the setting back tells whether it arrived; when that fails too, the write is `unknown`.
 */
async function lostReply(
  t: ConfigTarget,
  reg: ConfigRegister,
  r: Omit<WriteResult, 'outcome' | 'message'>,
  target: number,
  e: ModbusError,
): Promise<WriteResult> {
  const why = explainFailure(e);
  const unknown = `whether it reached the meter is unknown: run the same job again, it reads the meter first, writes only what is missing and settles this entry`;
  if (reg.writeOnly || isLinkSetting(reg.key))
    return { ...r, outcome: 'unknown', message: `${why}; ${unknown}` };
  let back: number | null;
  try {
    back = await readBack(t, reg);
  } catch {
    return { ...r, outcome: 'unknown', message: `${why}, and it could not be read back; ${unknown}` };
  }
  if (back === target)
    return {
      ...r,
      readBack: back,
      outcome: 'ok',
      message: `${why}, but reading it back shows the new value: it reached the meter`,
    };
  return {
    ...r,
    readBack: back,
    outcome: 'failed',
    message: `${why}; reading it back shows ${back}: it did not reach the meter`,
  };
}

function finish(results: WriteResult[], model: DeviceModel, resolved: ResolvedWrite[]): WriteReport {
  const written = results.filter(
    (r) => r.outcome === 'ok' || r.outcome === 'unverified' || r.outcome === 'mismatch',
  );
  const bad = results.find(
    (r) =>
      r.outcome === 'refused' ||
      r.outcome === 'failed' ||
      r.outcome === 'mismatch' ||
      r.outcome === 'unknown',
  );
  const ok = !bad;
  const keys = written.map((r) => r.key);
  const message = ok
    ? `${keys.length} setting(s) written to the ${model.name}${keys.length ? `: ${keys.join(', ')}` : ''}${results.some((r) => r.outcome === 'unchanged') ? '; the others were already set' : ''}`
    : `${bad.key}: ${bad.message}. ${before(keys, bad.key)}`;
  return { ok, results, written: keys, message, resolved };
}

function before(keys: readonly string[], failed: string): string {
  const earlier = keys.filter((k) => k !== failed);
  return earlier.length ? `Written before that: ${earlier.join(', ')}` : 'Nothing else was written';
}
