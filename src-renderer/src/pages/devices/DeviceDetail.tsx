import { useState } from 'react';
import type { DeviceCheck, TreeDevice } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatAge, formatDateTime, PROTOCOL_NAMES } from '../../components/format.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { deviceStateText, deviceTone } from '../../components/status.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useNow, useStoreVersion } from '../../state/store-context.js';
import type { Selection } from './selection.js';

export function connectionText(d: TreeDevice): string {
  const c = d.connection as unknown as Record<string, unknown>;
  if (typeof c.host === 'string')
    return `${c.host}:${String(c.port)} · unit ${String(c.unit)}${c.rtuOverTcp ? ' · RTU over TCP' : ''}`;
  if (typeof c.port === 'string') {
    const parity = typeof c.parity === 'string' ? c.parity[0]?.toUpperCase() : '';
    const bits = c.dataBits ?? 8;
    return `${c.port} · ${String(c.baud)} ${String(bits)}${parity ?? 'N'}${String(c.stopBits ?? 1)}${c.unit !== undefined ? ` · unit ${String(c.unit)}` : ''}`;
  }
  return '—';
}

export function DeviceDetail({
  uid,
  onRemoved,
  onSelect,
}: {
  uid: number;
  onRemoved: () => void;
  onSelect: (s: Selection) => void;
}) {
  const api = useApi();
  const store = useStoreVersion();
  const now = useNow(1000);
  const action = useAction();
  const [check, setCheck] = useState<DeviceCheck | null>(null);
  const [confirm, setConfirm] = useState(false);
  const d = store.tree.find((x) => x.uid === uid);
  if (!d) return <Empty>This device no longer exists.</Empty>;
  const st = store.status.get(uid);
  const update = (patch: { label?: string; enable?: boolean; pollMs?: number }): Promise<unknown> =>
    action.run(() => call(api, 'device.update', { uid, ...patch }));

  return (
    <div className="detail" data-testid="device-detail">
      <div className="detail-head">
        <h2>
          <InlineEdit
            value={d.label}
            label="Device name"
            onSave={(label) => update({ label }).then(() => undefined)}
          />
        </h2>
        <Badge tone={deviceTone(st, d.enable)}>{deviceStateText(st, d.enable)}</Badge>
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <Section title="Connection">
        <dl className="kv">
          <dt>Protocol</dt>
          <dd>{PROTOCOL_NAMES[d.protocol] ?? d.protocol}</dd>
          <dt>Model</dt>
          <dd>
            {d.model
              ? store.models.get(d.model)
                ? `${store.models.get(d.model)?.vendor} ${store.models.get(d.model)?.name}`
                : d.model
              : '—'}{' '}
            <span className="muted">
              ({d.partNumber}, {d.system})
            </span>
          </dd>
          <dt>Address</dt>
          <dd className="mono">{connectionText(d)}</dd>
          <dt>Poll interval</dt>
          <dd>
            <select
              aria-label="Poll interval"
              value={d.pollMs}
              onChange={(e) => void update({ pollMs: Number(e.target.value) })}
              disabled={action.busy}
            >
              {[...new Set([250, 500, 1000, 2000, 5000, 10_000, 60_000, d.pollMs])]
                .sort((a, b) => a - b)
                .map((ms) => (
                  <option key={ms} value={ms}>
                    {ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}
                  </option>
                ))}
            </select>
          </dd>
        </dl>
      </Section>
      <Section title="Polling">
        <dl className="kv">
          <dt>State</dt>
          <dd>{deviceStateText(st, d.enable)}</dd>
          <dt>Last good read</dt>
          <dd>
            {st?.lastOkMs ? `${formatDateTime(st.lastOkMs)} (${formatAge(now - st.lastOkMs)} ago)` : 'never'}
          </dd>
          <dt>Cycle time</dt>
          <dd className="num">{st ? `${st.lastDurationMs} ms` : '—'}</dd>
          <dt>Cycles / failures in a row</dt>
          <dd className="num">{st ? `${st.cycles} / ${st.failures}` : '—'}</dd>
          <dt>Last error</dt>
          <dd className={st?.lastError ? 'text-err' : 'muted'}>{st?.lastError ?? 'none'}</dd>
        </dl>
      </Section>
      <Section title="Loads">
        <table className="table">
          <thead>
            <tr>
              <th>Load</th>
              <th>Index</th>
              <th className="num">Signals</th>
              <th>Enabled</th>
            </tr>
          </thead>
          <tbody>
            {d.loads.map((l) => (
              <tr key={l.uid} className="clickable" onClick={() => onSelect({ kind: 'load', uid: l.uid })}>
                <td>{l.label}</td>
                <td>{l.index}</td>
                <td className="num">{l.signals.length}</td>
                <td>{l.enable ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {check && (
        <Notice tone={check.ok ? 'ok' : 'err'} onClose={() => setCheck(null)}>
          <strong>{check.summary}</strong> <span className="muted small">({check.durationMs} ms)</span>
          {check.findings.length > 0 && (
            <ul className="findings">
              {check.findings.map((f) => (
                <li key={`${f.severity}:${f.message}`} className={`finding-${f.severity}`}>
                  <b>{f.severity}</b> {f.message}
                  {f.fix && <div className="small">{f.fix}</div>}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void update({ enable: !d.enable })}
        >
          {d.enable ? 'Disable polling' : 'Enable polling'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void action.run(async () => setCheck(await call(api, 'device.check', { uid })))}
        >
          Check device
        </button>
        <span className="spacer" />
        {confirm ? (
          <>
            <span className="text-err">Remove “{d.label}” and its stored values?</span>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() =>
                void action
                  .run(() => call(api, 'device.remove', { uid }))
                  .then((r) => r?.removed && onRemoved())
              }
            >
              Remove
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirm(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirm(true)}>
            Remove device…
          </button>
        )}
      </div>
    </div>
  );
}
