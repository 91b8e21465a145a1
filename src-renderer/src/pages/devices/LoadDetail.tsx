import { call, useApi } from '../../api/api.js';
import { formatNumber, LOAD_TYPES } from '../../components/format.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { LoadConfigForm } from './LoadConfigForm.js';

export function LoadDetail({ uid, onPlot }: { uid: number; onPlot: (uids: number[]) => void }) {
  const api = useApi();
  const store = useStoreVersion();
  useValuesTick(1000);
  const action = useAction();
  const device = store.tree.find((d) => d.loads.some((l) => l.uid === uid));
  const load = device?.loads.find((l) => l.uid === uid);
  if (!device || !load) return <Empty>This load no longer exists.</Empty>;
  const update = (patch: { label?: string; enable?: boolean; type?: 0 | 1 | 2 }): Promise<unknown> =>
    action.run(() => call(api, 'load.update', { uid, ...patch }));
  const modbus = device.protocol === 'rtu' || device.protocol === 'tcp';
  return (
    <div className="detail" data-testid="load-detail">
      <div className="detail-head">
        <h2>
          <InlineEdit
            value={load.label}
            label="Load name"
            onSave={(label) => update({ label }).then(() => undefined)}
          />
        </h2>
        <Badge tone={load.enable ? 'ok' : 'idle'}>{load.enable ? 'enabled' : 'disabled'}</Badge>
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <Section title="Load">
        <dl className="kv">
          <dt>Device</dt>
          <dd>{device.label}</dd>
          <dt>Index</dt>
          <dd>{load.index}</dd>
          <dt>Type</dt>
          <dd>
            <select
              aria-label="Load type"
              value={load.type}
              onChange={(e) => void update({ type: Number(e.target.value) as 0 | 1 | 2 })}
            >
              {LOAD_TYPES.map((t, i) => (
                <option key={t} value={i}>
                  {t}
                </option>
              ))}
            </select>
          </dd>
          <dt>UUID</dt>
          <dd className="mono small">{load.uuid}</dd>
        </dl>
        <div className="button-row">
          <button
            type="button"
            className="btn"
            onClick={() => void update({ enable: !load.enable })}
            disabled={action.busy}
          >
            {load.enable ? 'Disable load' : 'Enable load'}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => onPlot(load.signals.filter((s) => s.unit === 'W').map((s) => s.uid))}
          >
            Plot power
          </button>
        </div>
      </Section>
      {modbus && <LoadConfigForm key={uid} lid={uid} />}
      <Section title={`Signals (${load.signals.length})`}>
        <table className="table">
          <thead>
            <tr>
              <th>Signal</th>
              <th className="num">Value</th>
              <th>Unit</th>
              <th className="num">si</th>
              <th>Enabled</th>
            </tr>
          </thead>
          <tbody>
            {load.signals.map((s) => (
              <tr key={s.uid}>
                <td>{s.name}</td>
                <td className="num">{formatNumber(store.latest.get(s.uid)?.v)}</td>
                <td>{s.unit}</td>
                <td className="num">{s.si}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enable ${s.name}`}
                    checked={s.enable}
                    onChange={() =>
                      void action.run(() => call(api, 'signal.update', { uid: s.uid, enable: !s.enable }))
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
