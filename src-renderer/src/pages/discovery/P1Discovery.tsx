import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { P1DetectView, PortView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { PortField } from './PortField.js';

/** Per setting tried; two settings (DSMR 4/5 at 115200 8N1, DSMR 2.2/3 at 9600 7E1). */
const LISTEN_MS = 12_000;

const OUTCOMES = {
  telegram: 'discovery.p1.outcome.telegram',
  telegram_7e1: 'discovery.p1.outcome.telegram7e1',
  header: 'discovery.p1.outcome.header',
  unreadable: 'discovery.p1.outcome.unreadable',
  no_data: 'discovery.p1.outcome.noData',
  open_failed: 'discovery.p1.outcome.openFailed',
} as const satisfies Record<P1DetectView['attempts'][number]['outcome'], string>;

/** A smart meter's P1 port: listens with each DSMR setting in turn and reports what carries telegrams. */
export function P1Discovery({ ports, onRefreshPorts }: { ports: PortView[]; onRefreshPorts: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  // Until one is picked, the first port listed; '' once "Other path…" is chosen.
  const [picked, setPicked] = useState<string | null>(null);
  const [result, setResult] = useState<P1DetectView | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [listening, setListening] = useState(false);
  const port = picked ?? ports[0]?.path ?? '';

  const detect = async (): Promise<void> => {
    setResult(null);
    setAdded(null);
    setListening(true);
    const r = await action.run(() => call(api, 'p1.detect', { port, listenMs: LISTEN_MS }));
    setListening(false);
    if (r) setResult(r);
  };
  const add = async (id: string): Promise<void> => {
    const d = await action.run(() => call(api, 'p1.add', { id }));
    if (d) setAdded(d.label);
  };

  return (
    <>
      <Section title={t('discovery.p1.port')}>
        <fieldset className="scan-form" disabled={listening}>
          <div className="scan-grid">
            <PortField port={port} onChange={setPicked} ports={ports} onRefreshPorts={onRefreshPorts} />
          </div>
        </fieldset>
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!port.trim() || action.busy}
            onClick={() => void detect()}
          >
            {t('discovery.p1.detect')}
          </button>
          <span className="muted small">
            {listening
              ? t('discovery.p1.listeningFor', { s: (2 * LISTEN_MS) / 1000 })
              : t('discovery.p1.how')}
          </span>
        </div>
        {action.error && (
          <Notice tone="err" onClose={action.clear}>
            {action.error}
          </Notice>
        )}
      </Section>
      <Section title={t('discovery.p1.detected')}>
        {!result ? (
          <Empty>{listening ? t('discovery.p1.listening') : t('discovery.p1.nothing')}</Empty>
        ) : (
          <div data-testid="p1-result">
            {result.ok ? (
              <Notice tone="ok">
                {t('discovery.p1.on', { port: result.port })} <b className="mono">{result.settings}</b>
                {', '}
                {result.dsmr ? t('discovery.p1.dsmr', { version: result.dsmr }) : t('discovery.p1.noVersion')}
                {result.versionLabel && result.versionLabel !== result.dsmr
                  ? ` (${result.versionLabel})`
                  : ''}
                {result.header && <div className="small mono">{result.header}</div>}
                <div className="small">
                  {result.evidence === 'telegram'
                    ? t('discovery.p1.whole', { crc: t(`discovery.p1.crc.${result.crc}`) })
                    : t('discovery.p1.headerOnly')}
                </div>
              </Notice>
            ) : (
              <Notice tone="err">
                {t('discovery.p1.none', { port: result.port, detail: result.detail })}
              </Notice>
            )}
            <ul className="small">
              {result.attempts.map((a) => (
                <li key={a.settings}>
                  <span className="mono">{a.settings}</span>:{' '}
                  {t('discovery.p1.attempt', { outcome: t(OUTCOMES[a.outcome]), count: a.bytes })}
                  {a.detail ? ` — ${a.detail}` : ''}
                </li>
              ))}
            </ul>
            {result.ok && (
              <div className="button-row">
                {added ? (
                  <span className="text-ok">{t('common.addedAs', { label: added })}</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={action.busy}
                    onClick={() => void add(result.id)}
                  >
                    {t('common.add')}
                  </button>
                )}
              </div>
            )}
          </div>
        )}
      </Section>
    </>
  );
}
