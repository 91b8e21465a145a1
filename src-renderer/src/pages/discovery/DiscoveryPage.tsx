import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  FoundDevice,
  PortView,
  ScanFinished,
  ScanProgress,
} from '../../../../src-preload/contract/index.js';
import { call, useApi, useEvent } from '../../api/api.js';
import { formatCount } from '../../components/format.js';
import { Notice, PageHeader, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { FoundTable } from './FoundTable.js';
import { MbusDiscovery } from './MbusDiscovery.js';
import { P1Discovery } from './P1Discovery.js';
import { ScanOutcome } from './ScanOutcome.js';
import { ScanFormView } from './ScanFormView.js';
import { DEFAULT_FORM, toRequest, type ScanForm } from './scan-form.js';

interface Running {
  scanId: string;
  total: number;
  startedAt: number;
}

type Kind = 'modbus' | 'mbus' | 'p1';

/**
 * Finds meters on an RS485 line or a network (every setting and unit id asked in turn), on an M-Bus
 * line, or on a P1 port. Each kind keeps its own panel mounted, so switching does not lose a result.
 */
export function DiscoveryPage() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [kind, setKind] = useState<Kind>('modbus');
  const [form, setForm] = useState<ScanForm>(DEFAULT_FORM);
  const [ports, setPorts] = useState<PortView[]>([]);
  const [running, setRunning] = useState<Running | null>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [found, setFound] = useState<FoundDevice[]>([]);
  const [finished, setFinished] = useState<ScanFinished | null>(null);

  const run = action.run;
  useEffect(() => {
    void run(() => call(api, 'discovery.ports')).then((p) => {
      if (!p) return;
      setPorts(p);
      const best = p.find((x) => x.rs485Likely) ?? p[0];
      if (best) setForm((f) => (f.port ? f : { ...f, port: best.path }));
    });
  }, [api, run]);

  // A short scan may finish before its start call returns: its end is kept until the id is known.
  const early = useRef(new Map<string, ScanFinished>());
  const finish = (f: ScanFinished): void => {
    setFinished(f);
    setFound(f.found);
    setRunning(null);
  };
  useEvent('discovery.progress', (p) => {
    if (p.scanId === running?.scanId) setProgress(p);
  });
  useEvent('discovery.found', (f) => {
    if (f.scanId === running?.scanId) setFound((cur) => [...cur, f.device]);
  });
  useEvent('discovery.finished', (f) => {
    if (f.scanId === running?.scanId) finish(f);
    else early.current.set(f.scanId, f);
  });

  const parsed = toRequest(form);
  const start = async (): Promise<void> => {
    if (!parsed.ok) return;
    setFound([]);
    setFinished(null);
    setProgress(null);
    const r = await action.run(() => call(api, 'discovery.start', parsed.req));
    if (!r) return;
    const ended = early.current.get(r.scanId);
    if (ended) finish(ended);
    else setRunning({ scanId: r.scanId, total: r.total, startedAt: Date.now() });
  };
  const cancel = (): void => {
    if (running) void action.run(() => call(api, 'discovery.cancel', { scanId: running.scanId }));
  };

  const refreshPorts = (): void =>
    void action.run(() => call(api, 'discovery.ports')).then((p) => p && setPorts(p));
  const tab = (k: Kind, protocol: ScanForm['protocol'] | null, text: string) => {
    const on = kind === k && (protocol === null || form.protocol === protocol);
    return (
      <button
        type="button"
        className={on ? 'on' : ''}
        aria-pressed={on}
        disabled={running !== null && k === 'modbus' && protocol !== form.protocol}
        onClick={() => {
          setKind(k);
          if (protocol) setForm((f) => ({ ...f, protocol }));
        }}
      >
        {text}
      </button>
    );
  };

  return (
    <div className="page">
      <PageHeader title={t('discovery.title')} />
      <div className="segmented" role="group" aria-label={t('devices.device.protocol')}>
        {tab('modbus', 'rtu', t('devices.new.rtu'))}
        {tab('modbus', 'tcp', 'Modbus TCP')}
        {tab('mbus', null, 'M-Bus')}
        {tab('p1', null, 'P1')}
      </div>
      <div hidden={kind !== 'mbus'} data-testid="mbus-panel">
        <MbusDiscovery ports={ports} onRefreshPorts={refreshPorts} />
      </div>
      <div hidden={kind !== 'p1'} data-testid="p1-panel">
        <P1Discovery ports={ports} onRefreshPorts={refreshPorts} />
      </div>
      <div hidden={kind !== 'modbus'}>
        <Section title={t('discovery.what')}>
          <ScanFormView
            form={form}
            onChange={setForm}
            ports={ports}
            disabled={running !== null}
            onRefreshPorts={refreshPorts}
          />
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
                {t('discovery.start')}
              </button>
            )}
            {parsed.ok ? (
              <span className="muted small">
                {t('discovery.probes', { count: parsed.probes, n: formatCount(parsed.probes) })}
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
        <ScanOutcome kind="modbus" running={running} progress={progress} finished={finished}>
          {finished?.hints.map((h) => (
            <div key={h} className="small">
              {h}
            </div>
          ))}
        </ScanOutcome>
        <Section title={t('discovery.found', { count: found.length })}>
          <FoundTable found={found} />
        </Section>
      </div>
    </div>
  );
}
