import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceCheck } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatAge, formatDateTime, formatInterval, protocolName } from '../../components/format.js';
import { InlineEdit } from '../../components/InlineEdit.js';
import { deviceStateText, deviceTone } from '../../components/status.js';
import { useEscape } from '../../components/keys.js';
import { Badge, Empty, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useNow, useStoreVersion } from '../../state/store-context.js';
import { connectionText, modelText } from './address.js';
import type { Selection } from './selection.js';

export function DeviceDetail({
  uid,
  onRemoved,
  onSelect,
}: {
  uid: number;
  onRemoved: () => void;
  onSelect: (s: Selection) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const store = useStoreVersion();
  const now = useNow(1000);
  const action = useAction();
  const [check, setCheck] = useState<DeviceCheck | null>(null);
  const [confirm, setConfirm] = useState(false);
  useEscape(() => setConfirm(false), confirm);
  const d = store.tree.find((x) => x.uid === uid);
  if (!d) return <Empty>{t('devices.device.gone')}</Empty>;
  const st = store.status.get(uid);
  const update = (patch: { label?: string; enable?: boolean; pollMs?: number }): Promise<unknown> =>
    action.run(() => call(api, 'device.update', { uid, ...patch }));

  return (
    <div className="detail" data-testid="device-detail">
      <div className="detail-head">
        <h2>
          <InlineEdit
            value={d.label}
            label={t('devices.device.name')}
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
      <Section title={t('devices.device.connection')}>
        <dl className="kv">
          <dt>{t('devices.device.protocol')}</dt>
          <dd>{protocolName(d.protocol)}</dd>
          <dt>{t('devices.device.model')}</dt>
          <dd>
            {modelText(d, store.models) ?? '—'}{' '}
            <span className="muted">({d.model ? `${d.partNumber}, ${d.system}` : d.system})</span>
          </dd>
          <dt>{t('devices.device.address')}</dt>
          <dd className="mono">{connectionText(d)}</dd>
          <dt>{t('devices.device.pollInterval')}</dt>
          <dd>
            <select
              aria-label={t('devices.device.pollInterval')}
              value={d.pollMs}
              onChange={(e) => void update({ pollMs: Number(e.target.value) })}
              disabled={action.busy}
            >
              {[...new Set([250, 500, 1000, 2000, 5000, 10_000, 60_000, d.pollMs])]
                .sort((a, b) => a - b)
                .map((ms) => (
                  <option key={ms} value={ms}>
                    {formatInterval(ms)}
                  </option>
                ))}
            </select>
          </dd>
        </dl>
      </Section>
      <Section title={t('devices.device.polling')}>
        <dl className="kv">
          <dt>{t('devices.device.state')}</dt>
          <dd>{deviceStateText(st, d.enable)}</dd>
          <dt>{t('devices.device.lastGood')}</dt>
          <dd>
            {st?.lastOkMs
              ? t('common.time.ago', { when: formatDateTime(st.lastOkMs), age: formatAge(now - st.lastOkMs) })
              : t('common.never')}
          </dd>
          <dt>{t('devices.device.cycleTime')}</dt>
          <dd className="num">{st ? t('common.time.ms', { n: st.lastDurationMs }) : '—'}</dd>
          <dt>{t('devices.device.cycles')}</dt>
          <dd className="num">{st ? `${st.cycles} / ${st.failures}` : '—'}</dd>
          <dt>{t('devices.device.lastError')}</dt>
          <dd className={st?.lastError ? 'text-err' : 'muted'}>{st?.lastError ?? t('common.none')}</dd>
        </dl>
      </Section>
      <Section title={t('devices.device.loads')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('devices.device.load')}</th>
              <th>{t('devices.device.index')}</th>
              <th className="num">{t('devices.device.signals')}</th>
              <th>{t('devices.device.enabled')}</th>
            </tr>
          </thead>
          <tbody>
            {d.loads.map((l) => (
              <tr key={l.uid} className="clickable" onClick={() => onSelect({ kind: 'load', uid: l.uid })}>
                <td>{l.label}</td>
                <td>{l.index}</td>
                <td className="num">{l.signals.length}</td>
                <td>{l.enable ? t('common.yes') : t('common.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {check && (
        <Notice tone={check.ok ? 'ok' : 'err'} onClose={() => setCheck(null)}>
          <strong>{check.summary}</strong>{' '}
          <span className="muted small">({t('common.time.ms', { n: check.durationMs })})</span>
          {check.findings.length > 0 && (
            <ul className="findings">
              {check.findings.map((f) => (
                <li key={`${f.severity}:${f.message}`} className={`finding-${f.severity}`}>
                  <b>{t(`devices.check.${f.severity}`)}</b> {f.message}
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
          {d.enable ? t('devices.device.disable') : t('devices.device.enable')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void action.run(async () => setCheck(await call(api, 'device.check', { uid })))}
        >
          {t('devices.device.check')}
        </button>
        <span className="spacer" />
        {confirm ? (
          <>
            <span className="text-err">{t('devices.device.removeConfirm', { label: d.label })}</span>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() =>
                void action
                  .run(() => call(api, 'device.remove', { uid }))
                  .then((r) => r?.removed && onRemoved())
              }
            >
              {t('common.remove')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setConfirm(false)}>
              {t('devices.device.keep')}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-danger-ghost" onClick={() => setConfirm(true)}>
            {t('devices.device.remove')}
          </button>
        )}
      </div>
    </div>
  );
}
