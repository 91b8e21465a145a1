import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MbusScanFinished, PortView, ScanProgress } from '../../../../src-preload/contract/index.js';
import { call, useApi, useEvent } from '../../api/api.js';
import { formatCount } from '../../components/format.js';
import { Field, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { MbusFoundTable } from './MbusFoundTable.js';
import { DEFAULT_MBUS_FORM, MBUS_BAUDS, toMbusRequest, type MbusForm } from './mbus-form.js';
import { PortField } from './PortField.js';
import { RangeFields } from './RangeFields.js';
import { ScanOutcome } from './ScanOutcome.js';
import { toggle } from './scan-form.js';

interface Running {
  scanId: string;
  total: number;
}

/** Meters on an M-Bus line: SND_NKE to each primary address and/or the secondary wildcard search. */
export function MbusDiscovery({ ports, onRefreshPorts }: { ports: PortView[]; onRefreshPorts: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [form, setForm] = useState<MbusForm>(DEFAULT_MBUS_FORM);
  const [running, setRunning] = useState<Running | null>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [finished, setFinished] = useState<MbusScanFinished | null>(null);
  const set = (patch: Partial<MbusForm>): void => setForm((f) => ({ ...f, ...patch }));
  // Until one is picked, the likeliest adapter; '' once "Other path…" is chosen.
  const [picked, setPicked] = useState<string | null>(null);
  const port = picked ?? ports.find((p) => p.rs485Likely)?.path ?? ports[0]?.path ?? '';

  // A scan that fails at once may end before its start call returns: its end is kept until the id is known.
  const early = useRef(new Map<string, MbusScanFinished>());
  const finish = (f: MbusScanFinished): void => {
    setFinished(f);
    setRunning(null);
  };
  useEvent('mbus.progress', (p) => {
    if (p.scanId === running?.scanId) setProgress(p);
  });
  useEvent('mbus.finished', (f) => {
    if (f.scanId === running?.scanId) finish(f);
    else early.current.set(f.scanId, f);
  });

  const parsed = toMbusRequest(form, port);
  const start = async (): Promise<void> => {
    if (!parsed.ok) return;
    setFinished(null);
    setProgress(null);
    const r = await action.run(() => call(api, 'mbus.scan', parsed.req));
    if (!r) return;
    const ended = early.current.get(r.scanId);
    if (ended) finish(ended);
    else setRunning({ scanId: r.scanId, total: r.total });
  };
  const cancel = (): void => {
    if (running) void action.run(() => call(api, 'mbus.cancel', { scanId: running.scanId }));
  };

  return (
    <>
      <Section title={t('discovery.mbus.line')}>
        <fieldset className="scan-form" disabled={running !== null}>
          <div className="scan-grid">
            <PortField port={port} onChange={setPicked} ports={ports} onRefreshPorts={onRefreshPorts} />
            <Field label={t('discovery.bauds')} hint={t('discovery.mbus.baudHint')}>
              <div className="checks">
                {MBUS_BAUDS.map((b) => (
                  <label key={b}>
                    <input
                      type="checkbox"
                      checked={form.bauds.includes(b)}
                      onChange={() => set({ bauds: toggle(form.bauds, b) })}
                    />
                    {b}
                  </label>
                ))}
              </div>
            </Field>
            <Field label={t('discovery.mbus.search')} hint={t('discovery.mbus.searchHint')}>
              <div className="checks">
                <label>
                  <input
                    type="checkbox"
                    checked={form.primary}
                    onChange={() => set({ primary: !form.primary })}
                  />
                  {t('discovery.mbus.primaryAddresses')}
                </label>
                <label>
                  <input
                    type="checkbox"
                    checked={form.secondary}
                    onChange={() => set({ secondary: !form.secondary })}
                  />
                  {t('discovery.mbus.secondarySearch')}
                </label>
              </div>
            </Field>
          </div>
          {form.primary && (
            <RangeFields what="primary" from={form.from} to={form.to} onChange={(p) => set(p)} />
          )}
        </fieldset>
        <div className="button-row">
          {running ? (
            <button type="button" className="btn btn-danger" onClick={cancel}>
              {t('discovery.cancel')}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-primary"
              disabled={!parsed.ok || action.busy}
              onClick={() => void start()}
            >
              {t('discovery.mbus.start')}
            </button>
          )}
          {parsed.ok ? (
            <span className="muted small">
              {parsed.probes
                ? t('discovery.mbus.addresses', { count: parsed.probes, n: formatCount(parsed.probes) })
                : ''}
              {parsed.req.secondary
                ? `${parsed.probes ? ' + ' : ''}${t('discovery.mbus.plusSecondary')}`
                : ''}
            </span>
          ) : (
            <span className="text-warn small">{parsed.problem}</span>
          )}
        </div>
        {action.error && (
          <Notice tone="err" onClose={action.clear}>
            {action.error}
          </Notice>
        )}
      </Section>
      <ScanOutcome kind="mbus" running={running} progress={progress} finished={finished} />
      <Section title={t('discovery.mbus.found', { count: finished?.found.length ?? 0 })}>
        <MbusFoundTable found={finished?.found ?? []} />
      </Section>
    </>
  );
}
