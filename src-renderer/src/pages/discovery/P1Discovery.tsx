import { useState } from 'react';
import type { P1DetectView, PortView } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { PortField } from './PortField.js';

/** Per setting tried; two settings (DSMR 4/5 at 115200 8N1, DSMR 2.2/3 at 9600 7E1). */
const LISTEN_MS = 12_000;

const OUTCOMES: Record<P1DetectView['attempts'][number]['outcome'], string> = {
  telegram: 'whole telegram',
  telegram_7e1: 'telegram once bit 7 is parity (7E1)',
  header: 'identification line only',
  unreadable: 'data, but no telegram',
  no_data: 'nothing',
  open_failed: 'could not open the port',
};

/** A smart meter's P1 port: listens with each DSMR setting in turn and reports what carries telegrams. */
export function P1Discovery({ ports, onRefreshPorts }: { ports: PortView[]; onRefreshPorts: () => void }) {
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
      <Section title="P1 port">
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
            Detect P1
          </button>
          <span className="muted small">
            {listening
              ? `Listening… up to ${(2 * LISTEN_MS) / 1000} s`
              : 'Listens at 115200 8N1 (DSMR 4/5), then 9600 7E1 (DSMR 2.2/3)'}
          </span>
        </div>
        {action.error && (
          <Notice tone="err" onClose={action.clear}>
            {action.error}
          </Notice>
        )}
      </Section>
      <Section title="Detected">
        {!result ? (
          <Empty>{listening ? 'Listening for telegrams…' : 'Nothing detected yet.'}</Empty>
        ) : (
          <div data-testid="p1-result">
            {result.ok ? (
              <Notice tone="ok">
                P1 telegrams on {result.port}: <b className="mono">{result.settings}</b>
                {result.dsmr ? `, DSMR ${result.dsmr}` : ', DSMR version not stated'}
                {result.versionLabel && result.versionLabel !== result.dsmr
                  ? ` (${result.versionLabel})`
                  : ''}
                {result.header && <div className="small mono">{result.header}</div>}
                <div className="small">
                  {result.evidence === 'telegram'
                    ? `Whole telegram seen; CRC ${result.crc}.`
                    : 'Only the identification line was seen: check the wiring if values stay empty.'}
                </div>
              </Notice>
            ) : (
              <Notice tone="err">
                No P1 telegrams on {result.port}: {result.detail}
              </Notice>
            )}
            <ul className="small">
              {result.attempts.map((a) => (
                <li key={a.settings}>
                  <span className="mono">{a.settings}</span>: {OUTCOMES[a.outcome]} ({a.bytes} bytes)
                  {a.detail ? ` — ${a.detail}` : ''}
                </li>
              ))}
            </ul>
            {result.ok && (
              <div className="button-row">
                {added ? (
                  <span className="text-ok">Added as “{added}”</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={action.busy}
                    onClick={() => void add(result.id)}
                  >
                    Add
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
