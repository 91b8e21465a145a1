import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignalDeadband } from '../../../../src-preload/contract/domain.js';
import { call, useApi } from '../../api/api.js';
import { Field, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/**
 * A signal's deadband: raw samples are stored only when the value moved more than `delta`, or at least
 * every `maxGapS` seconds. The engine checks the numbers; this form only says what it will do. Its
 * parent keys it by the saved setting, so the fields start again from what the engine holds.
 */
export function DeadbandForm({
  uid,
  unit,
  deadband,
}: {
  uid: number;
  unit: string;
  deadband?: SignalDeadband;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [delta, setDelta] = useState(String(deadband?.delta ?? 0));
  const [gap, setGap] = useState(String(deadband?.maxGapS ?? 900));
  const save = (next: SignalDeadband | null): void =>
    void action.run(() => call(api, 'signal.update', { uid, deadband: next }));
  return (
    <Section title={t('devices.deadband.title')}>
      <p data-testid="deadband-state">
        {deadband
          ? t('devices.deadband.on', { delta: deadband.delta, unit, gap: deadband.maxGapS })
          : t('devices.deadband.off')}
      </p>
      {action.error && <Notice tone="err">{action.error}</Notice>}
      <div className="form-grid">
        <Field label={t('devices.deadband.delta', { unit })} hint={t('devices.deadband.deltaHint')}>
          <input
            type="number"
            min={0}
            step="any"
            value={delta}
            aria-label={t('devices.deadband.delta', { unit })}
            onChange={(e) => setDelta(e.target.value)}
          />
        </Field>
        <Field label={t('devices.deadband.gap')} hint={t('devices.deadband.gapHint')}>
          <input
            type="number"
            min={1}
            max={86_400}
            step={1}
            value={gap}
            aria-label={t('devices.deadband.gap')}
            onChange={(e) => setGap(e.target.value)}
          />
        </Field>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => save({ delta: Number(delta), maxGapS: Number(gap) })}
        >
          {t('devices.deadband.save')}
        </button>
        {deadband && (
          <button type="button" className="btn" disabled={action.busy} onClick={() => save(null)}>
            {t('devices.deadband.clear')}
          </button>
        )}
      </div>
    </Section>
  );
}
