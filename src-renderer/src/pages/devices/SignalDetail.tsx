import { call, useApi } from '../../api/api.js';
import { formatAge, formatDateTime, formatNumber } from '../../components/format.js';
import { sampleText, sampleTone } from '../../components/status.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useNow, useStoreVersion, useValuesTick } from '../../state/store-context.js';

export function SignalDetail({ uid, onPlot }: { uid: number; onPlot: (uids: number[]) => void }) {
  const api = useApi();
  const store = useStoreVersion();
  useValuesTick(500);
  const now = useNow(1000);
  const action = useAction();
  const ref = store.index.get(uid);
  if (!ref) return <Empty>This signal no longer exists.</Empty>;
  const { signal: s, load, device } = ref;
  const v = store.latest.get(uid);
  const age = v ? now - v.t : Infinity;
  return (
    <div className="detail">
      <div className="detail-head">
        <h2>{s.name}</h2>
        <Badge tone={s.enable ? sampleTone(v?.s, age, device.pollMs) : 'idle'}>
          {s.enable ? sampleText(v?.s) : 'disabled'}
        </Badge>
      </div>
      {action.error && <Notice tone="err">{action.error}</Notice>}
      <div className="big-value num">
        {formatNumber(v?.v)} <span className="unit">{s.unit}</span>
      </div>
      <Section title="Signal">
        <dl className="kv">
          <dt>Device / load</dt>
          <dd>
            {device.label} / {load.label}
          </dd>
          <dt>Key</dt>
          <dd className="mono">{s.key}</dd>
          <dt>Signal id (si / sir)</dt>
          <dd className="num">
            {s.si} / {s.sir}
          </dd>
          <dt>UID</dt>
          <dd className="num">{s.uid}</dd>
          <dt>Kind, type</dt>
          <dd>
            {s.kind}, {s.type}
          </dd>
          <dt>Last value at</dt>
          <dd>{v ? `${formatDateTime(v.t)} (${formatAge(age)} ago)` : 'never'}</dd>
        </dl>
      </Section>
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => onPlot([uid])}>
          Plot
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void action.run(() => call(api, 'signal.update', { uid, enable: !s.enable }))}
        >
          {s.enable ? 'Disable signal' : 'Enable signal'}
        </button>
      </div>
    </div>
  );
}
