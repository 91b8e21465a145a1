import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigWriteReport, LoadConfigView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatClock } from '../../components/format.js';
import { Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { ConfigCommands } from './ConfigCommands.js';
import { GOOD_OUTCOMES, shown } from './config-format.js';
import { fieldProblem } from './config-validate.js';
import { WriteReport } from './WriteReport.js';

const asDraft = (v: number | null): string => (v === null ? '' : String(v));

/**
 * The meter's own settings of one load (wiring system, CT ratio, …), as a form built from the
 * descriptors the engine sends; the renderer knows nothing of registers or encodings.
 */
export function LoadConfigForm({ lid }: { lid: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const read = useAction();
  const write = useAction();
  const [view, setView] = useState<LoadConfigView | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [report, setReport] = useState<ConfigWriteReport | null>(null);

  const show = useCallback((v: LoadConfigView) => {
    setView(v);
    setDraft(Object.fromEntries(v.fields.map((f) => [f.key, asDraft(f.value)])));
  }, []);
  const load = async (): Promise<void> => {
    const v = await read.run(() => call(api, 'loadconfig.read', { lid }));
    if (v) show(v);
  };
  // The first read; the parent keys this form by load, so another load starts from scratch.
  const [firstError, setFirstError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call(api, 'loadconfig.read', { lid }).then(
      (v) => live && show(v),
      (e: unknown) => live && setFirstError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [api, lid, show]);

  if (!view)
    return (
      <Section title={t('devices.config.title')}>
        {(read.error ?? firstError) ? (
          <Notice tone="err">{read.error ?? firstError}</Notice>
        ) : (
          <Empty>{t('devices.config.reading')}</Empty>
        )}
      </Section>
    );
  if (!view.fields.length)
    return (
      <Section title={t('devices.config.title')}>
        <Empty>{view.message ?? t('devices.config.noSettings')}</Empty>
      </Section>
    );

  const editable = view.fields.filter((f) => f.kind !== 'command');
  const changed = editable.filter((f) => draft[f.key] !== undefined && draft[f.key] !== asDraft(f.value));
  const problems = new Map(changed.map((f) => [f.key, fieldProblem(f, draft[f.key] ?? '')]));
  const invalid = [...problems.values()].some((p) => p !== null);

  const submit = async (values: Record<string, number>): Promise<void> => {
    const r = await write.run(() => call(api, 'loadconfig.write', { lid, values }));
    if (r) {
      setReport(r);
      await load();
      // What did not reach the meter stays in the form, ready to send again once the cause is fixed.
      const retry = r.results.filter((x) => !GOOD_OUTCOMES.has(x.outcome) && values[x.key] !== undefined);
      if (retry.length)
        setDraft((d) => ({ ...d, ...Object.fromEntries(retry.map((x) => [x.key, String(x.requested)])) }));
    }
  };

  return (
    <Section
      title={t('devices.config.title')}
      actions={
        <button type="button" className="btn btn-sm" onClick={() => void load()} disabled={read.busy}>
          {read.busy ? t('devices.config.readingShort') : t('devices.config.read')}
        </button>
      }
    >
      <p className="muted small">
        {t('devices.config.readFrom', { device: view.deviceLabel, time: formatClock(view.readAt) })}
      </p>
      {read.error && <Notice tone="err">{read.error}</Notice>}
      {write.error && (
        <Notice tone="err" onClose={write.clear}>
          {write.error}
        </Notice>
      )}
      {report && <WriteReport report={report} fields={view.fields} onClose={() => setReport(null)} />}
      <form
        className="config-form"
        data-testid="config-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!changed.length || invalid) return;
          void submit(Object.fromEntries(changed.map((f) => [f.key, Number(draft[f.key])])));
        }}
      >
        <div className="button-row sticky-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={!changed.length || invalid || write.busy}
          >
            {write.busy
              ? t('devices.config.writing')
              : changed.length
                ? t('devices.config.writeN', { count: changed.length })
                : t('devices.config.write')}
          </button>
          {changed.length > 0 && (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => setDraft(Object.fromEntries(view.fields.map((f) => [f.key, asDraft(f.value)])))}
            >
              {t('devices.config.undo')}
            </button>
          )}
          <span className="spacer" />
          <ConfigCommands
            commands={view.fields.filter((f) => f.kind === 'command')}
            busy={write.busy}
            onSend={(key, value) => void submit({ [key]: value })}
          />
        </div>
        <table className="table config-table">
          <thead>
            <tr>
              <th>{t('devices.config.setting')}</th>
              <th className="num">{t('devices.config.onMeter')}</th>
              <th>{t('devices.config.newValue')}</th>
            </tr>
          </thead>
          <tbody>
            {editable.map((f) => {
              const problem = problems.get(f.key) ?? null;
              return (
                <tr key={f.key} className={problems.has(f.key) ? 'changed' : ''} data-key={f.key}>
                  <td>
                    <span>{f.label}</span>
                    {f.note && (
                      <span className="hint-mark" title={f.note}>
                        i
                      </span>
                    )}
                    {f.uncertain && (
                      <span
                        className="hint-mark hint-warn"
                        title={t('devices.config.unsure', { why: f.uncertain })}
                      >
                        ?
                      </span>
                    )}
                  </td>
                  <td className="num">
                    {f.readError ? <span className="text-err small">{f.readError}</span> : shown(f, f.value)}
                  </td>
                  <td>
                    {f.choices ? (
                      <select
                        aria-label={f.label}
                        value={draft[f.key] ?? ''}
                        onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                      >
                        {f.value === null && <option value="">—</option>}
                        {f.choices.map((c) => (
                          <option key={c.value} value={String(c.value)}>
                            {c.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="input-unit">
                        <input
                          aria-label={f.label}
                          inputMode="decimal"
                          value={draft[f.key] ?? ''}
                          aria-invalid={problem !== null}
                          onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
                        />
                        <span className="unit">{f.unit ?? ''}</span>
                        <span className="field-hint">
                          {problem ? (
                            <span className="text-err">{problem}</span>
                          ) : f.min !== null && f.max !== null ? (
                            `${f.min} … ${f.max}`
                          ) : (
                            ''
                          )}
                        </span>
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </form>
    </Section>
  );
}
