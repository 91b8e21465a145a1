import { useTranslation } from 'react-i18next';
import { call, useApi } from '../../api/api.js';
import { formatAge, formatDateTime, formatNumber } from '../../components/format.js';
import { sampleText, sampleTone } from '../../components/status.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useNow, useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { DeadbandForm } from './DeadbandForm.js';

export function SignalDetail({ uid, onPlot }: { uid: number; onPlot: (uids: number[]) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const store = useStoreVersion();
  useValuesTick(500);
  const now = useNow(1000);
  const action = useAction();
  const ref = store.index.get(uid);
  if (!ref) return <Empty>{t('devices.signal.gone')}</Empty>;
  const { signal: s, load, device } = ref;
  const v = store.latest.get(uid);
  const age = v ? now - v.t : Infinity;
  return (
    <div className="detail">
      <div className="detail-head">
        <h2>{s.name}</h2>
        <Badge tone={s.enable ? sampleTone(v?.s, age, device.pollMs) : 'idle'}>
          {s.enable ? sampleText(v?.s) : t('common.state.disabled')}
        </Badge>
      </div>
      {action.error && <Notice tone="err">{action.error}</Notice>}
      <div className="big-value num">
        {formatNumber(v?.v)} <span className="unit">{s.unit}</span>
      </div>
      <Section title={t('devices.signal.signal')}>
        <dl className="kv">
          <dt>{t('devices.signal.deviceLoad')}</dt>
          <dd>
            {device.label} / {load.label}
          </dd>
          <dt>{t('devices.signal.key')}</dt>
          <dd className="mono">{s.key}</dd>
          <dt>{t('devices.signal.si')}</dt>
          <dd className="num">
            {s.si} / {s.sir}
          </dd>
          <dt>{t('devices.signal.uid')}</dt>
          <dd className="num">{s.uid}</dd>
          <dt>{t('devices.signal.kind')}</dt>
          <dd>
            {s.kind}, {s.type}
          </dd>
          <dt>{t('devices.signal.lastAt')}</dt>
          <dd>
            {v ? t('common.time.ago', { when: formatDateTime(v.t), age: formatAge(age) }) : t('common.never')}
          </dd>
        </dl>
      </Section>
      <DeadbandForm
        key={`${uid}:${s.deadband?.delta}:${s.deadband?.maxGapS}`}
        uid={uid}
        unit={s.unit}
        deadband={s.deadband}
      />
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => onPlot([uid])}>
          {t('devices.signal.plot')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void action.run(() => call(api, 'signal.update', { uid, enable: !s.enable }))}
        >
          {s.enable ? t('devices.signal.disable') : t('devices.signal.enable')}
        </button>
      </div>
    </div>
  );
}
