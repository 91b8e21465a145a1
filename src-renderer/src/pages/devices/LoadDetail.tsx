import { useTranslation } from 'react-i18next';
import { call, useApi } from '../../api/api.js';
import { formatNumber, LOAD_TYPE_KEYS } from '../../components/format.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { LoadConfigForm } from './LoadConfigForm.js';

export function LoadDetail({ uid, onPlot }: { uid: number; onPlot: (uids: number[]) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const store = useStoreVersion();
  useValuesTick(1000);
  const action = useAction();
  const device = store.tree.find((d) => d.loads.some((l) => l.uid === uid));
  const load = device?.loads.find((l) => l.uid === uid);
  if (!device || !load) return <Empty>{t('devices.load.gone')}</Empty>;
  const update = (patch: { label?: string; enable?: boolean; type?: 0 | 1 | 2 }): Promise<unknown> =>
    action.run(() => call(api, 'load.update', { uid, ...patch }));
  const modbus = device.protocol === 'rtu' || device.protocol === 'tcp';
  return (
    <div className="detail" data-testid="load-detail">
      <div className="detail-head">
        <h2>
          <InlineEdit
            value={load.label}
            label={t('devices.load.name')}
            onSave={(label) => update({ label }).then(() => undefined)}
          />
        </h2>
        <Badge tone={load.enable ? 'ok' : 'idle'}>
          {load.enable ? t('common.state.enabled') : t('common.state.disabled')}
        </Badge>
        {load.main && <Badge tone="ok">{t('devices.load.mainBadge')}</Badge>}
      </div>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <Section title={t('devices.device.load')}>
        <dl className="kv">
          <dt>{t('devices.load.device')}</dt>
          <dd>{device.label}</dd>
          <dt>{t('devices.device.index')}</dt>
          <dd>{load.index}</dd>
          <dt>{t('devices.load.type')}</dt>
          <dd>
            <select
              aria-label={t('devices.load.typeLabel')}
              value={load.type}
              onChange={(e) => void update({ type: Number(e.target.value) as 0 | 1 | 2 })}
            >
              {LOAD_TYPE_KEYS.map((k, i) => (
                <option key={k} value={i}>
                  {t(k)}
                </option>
              ))}
            </select>
          </dd>
          <dt>{t('devices.load.uuid')}</dt>
          <dd className="mono small">{load.uuid}</dd>
        </dl>
        {load.canBeMain && (
          <div className="checks" data-testid="main-meter">
            <label>
              <input
                type="checkbox"
                checked={load.main}
                disabled={action.busy}
                onChange={(e) =>
                  void action.run(() => call(api, 'load.setMain', { uid, main: e.target.checked }))
                }
              />
              {t('devices.load.main')}
            </label>
            <span className="muted small">{t('devices.load.mainHelp')}</span>
          </div>
        )}
        <div className="button-row">
          <button
            type="button"
            className="btn"
            onClick={() => void update({ enable: !load.enable })}
            disabled={action.busy}
          >
            {load.enable ? t('devices.load.disable') : t('devices.load.enable')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => onPlot(load.signals.filter((s) => s.unit === 'W').map((s) => s.uid))}
          >
            {t('devices.load.plotPower')}
          </button>
        </div>
      </Section>
      {modbus && <LoadConfigForm key={uid} lid={uid} />}
      <Section title={t('devices.load.signals', { count: load.signals.length })}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('devices.signal.signal')}</th>
              <th className="num">{t('devices.signal.value')}</th>
              <th>{t('devices.signal.unit')}</th>
              <th className="num">{t('devices.signal.siShort')}</th>
              <th>{t('devices.device.enabled')}</th>
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
                    aria-label={t('devices.signal.enableName', { name: s.name })}
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
