import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  IntegrationSettingsView,
  IntegrationStatus,
  IntegrationsView,
} from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime } from '../../components/format.js';
import { Field, Notice, Section, StatusDot } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/** The state is polled: it changes with the outside peers (a broker going away), not with the UI. */
const POLL_MS = 2000;

/** Passwords and tokens typed here; empty leaves the saved one as it is (the engine never sends it back). */
interface Secrets {
  mqttPassword: string;
  influxPassword: string;
  influxToken: string;
}
const NO_SECRETS: Secrets = { mqttPassword: '', influxPassword: '', influxToken: '' };

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <div className="checks">
      <label>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
    </div>
  );
}

function Text({
  label,
  value,
  onChange,
  hint,
  type = 'text',
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
  type?: 'text' | 'password' | 'number';
}) {
  return (
    <Field label={label} hint={hint}>
      <input type={type} value={value} aria-label={label} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

function StateCell({ s }: { s: IntegrationStatus }) {
  const { t } = useTranslation();
  if (!s.enabled) return <span className="muted">{t('settings.integrations.off')}</span>;
  if (s.connected === null)
    return (
      <span>
        <StatusDot tone="ok" /> {t('settings.integrations.on')}
      </span>
    );
  return s.connected ? (
    <span className="text-ok">
      <StatusDot tone="ok" /> {t('settings.integrations.connected')}
    </span>
  ) : (
    <span className="text-err">
      <StatusDot tone="err" /> {t('settings.integrations.notConnected')}
    </span>
  );
}

/** MQTT (Home Assistant), InfluxDB, Prometheus and the Modbus TCP gateway: settings and what each reports. */
export function IntegrationsPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [status, setStatus] = useState<IntegrationStatus[]>([]);
  const [draft, setDraft] = useState<IntegrationSettingsView | null>(null);
  const [secrets, setSecrets] = useState<Secrets>(NO_SECRETS);
  const [saved, setSaved] = useState(false);
  const run = action.run;

  const apply = useCallback((v: IntegrationsView) => {
    setStatus(v.status);
    setDraft(v.settings);
    setSecrets(NO_SECRETS);
  }, []);
  useEffect(() => {
    void run(() => call(api, 'integrations.get')).then((v) => v && apply(v));
    const timer = setInterval(() => {
      void call(api, 'integrations.get').then(
        (v) => setStatus(v.status),
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, run, apply]);

  if (!draft)
    return (
      <Section title={t('settings.integrations.title')}>
        {action.error && <Notice tone="err">{action.error}</Notice>}
      </Section>
    );
  const set = <K extends keyof IntegrationSettingsView>(k: K, patch: Partial<IntegrationSettingsView[K]>) => {
    setSaved(false);
    setDraft({ ...draft, [k]: { ...draft[k], ...patch } });
  };
  const setSecret = (k: keyof Secrets, v: string) => setSecrets({ ...secrets, [k]: v });
  const secretHint = (isSet: boolean) =>
    isSet ? t('settings.integrations.secretSet') : t('settings.integrations.secretNotSet');
  const save = async (): Promise<void> => {
    const { mqtt, influx, prometheus, modbusGateway } = draft;
    const v = await action.run(() =>
      call(api, 'integrations.update', {
        mqtt: {
          enabled: mqtt.enabled,
          url: mqtt.url.trim(),
          username: mqtt.username.trim(),
          caFile: mqtt.caFile.trim(),
          prefix: mqtt.prefix.trim(),
          discovery: mqtt.discovery,
          ...(secrets.mqttPassword ? { password: secrets.mqttPassword } : {}),
        },
        influx: {
          enabled: influx.enabled,
          url: influx.url.trim(),
          version: influx.version,
          database: influx.database.trim(),
          org: influx.org.trim(),
          bucket: influx.bucket.trim(),
          username: influx.username.trim(),
          ...(secrets.influxPassword ? { password: secrets.influxPassword } : {}),
          ...(secrets.influxToken ? { token: secrets.influxToken } : {}),
        },
        prometheus,
        modbusGateway: {
          enabled: modbusGateway.enabled,
          host: modbusGateway.host.trim(),
          port: Number(modbusGateway.port),
          allowRemote: modbusGateway.allowRemote,
        },
      }),
    );
    if (v) {
      apply(v);
      setSaved(true);
    }
  };
  const names: Record<IntegrationStatus['name'], string> = {
    mqtt: t('settings.integrations.mqtt'),
    influx: t('settings.integrations.influx'),
    prometheus: t('settings.integrations.prometheus'),
    modbusGateway: t('settings.integrations.gateway'),
  };
  const units = status.find((s) => s.name === 'modbusGateway')?.units ?? [];
  const { mqtt, influx, prometheus, modbusGateway } = draft;
  return (
    <Section title={t('settings.integrations.title')}>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <table className="table" data-testid="integrations-state">
        <thead>
          <tr>
            <th>{t('settings.integrations.name')}</th>
            <th>{t('devices.device.state')}</th>
            <th>{t('settings.integrations.target')}</th>
            <th>{t('settings.integrations.sent')}</th>
            <th>{t('settings.integrations.backlog')}</th>
            <th>{t('settings.integrations.dropped')}</th>
            <th>{t('settings.integrations.lastError')}</th>
          </tr>
        </thead>
        <tbody>
          {status.map((s) => (
            <tr key={s.name} data-testid={`integration-${s.name}`}>
              <td>{names[s.name]}</td>
              <td>
                <StateCell s={s} />
              </td>
              <td className="mono">{s.target ?? ''}</td>
              <td>{s.sent}</td>
              <td>{s.backlog}</td>
              <td>{s.dropped}</td>
              <td className="small">
                {s.lastError && (
                  <>
                    {s.lastErrorAt !== null && (
                      <span className="muted">{formatDateTime(s.lastErrorAt)} </span>
                    )}
                    {s.lastError}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {units.length > 0 && (
        <>
          <h3>{t('settings.integrations.units')}</h3>
          <table className="table" data-testid="gateway-units">
            <thead>
              <tr>
                <th>{t('settings.integrations.unit')}</th>
                <th>{t('settings.integrations.device')}</th>
                <th>{t('settings.integrations.model')}</th>
                <th>{t('settings.integrations.busUnit')}</th>
                <th>{t('settings.integrations.writes')}</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.unit}>
                  <td>{u.unit}</td>
                  <td>{u.label}</td>
                  <td>{u.model}</td>
                  <td>{u.busUnit}</td>
                  <td>
                    {u.writable ? t('settings.integrations.writable') : t('settings.integrations.readOnly')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="settings-grid">
        <div>
          <h3>{names.mqtt}</h3>
          <Check
            label={t('settings.integrations.enableMqtt')}
            checked={mqtt.enabled}
            onChange={(enabled) => set('mqtt', { enabled })}
          />
          <div className="form-grid">
            <Text
              label={t('settings.integrations.brokerUrl')}
              value={mqtt.url}
              hint={t('settings.integrations.brokerUrlHint')}
              onChange={(url) => set('mqtt', { url })}
            />
            <Text
              label={t('settings.integrations.mqttUser')}
              value={mqtt.username}
              onChange={(username) => set('mqtt', { username })}
            />
            <Text
              label={t('settings.integrations.mqttPassword')}
              type="password"
              value={secrets.mqttPassword}
              hint={secretHint(mqtt.passwordSet)}
              onChange={(v) => setSecret('mqttPassword', v)}
            />
            <Text
              label={t('settings.integrations.caFile')}
              value={mqtt.caFile}
              hint={t('settings.integrations.caFileHint')}
              onChange={(caFile) => set('mqtt', { caFile })}
            />
            <Text
              label={t('settings.integrations.prefix')}
              value={mqtt.prefix}
              onChange={(prefix) => set('mqtt', { prefix })}
            />
          </div>
          <Check
            label={t('settings.integrations.haDiscovery')}
            checked={mqtt.discovery}
            onChange={(discovery) => set('mqtt', { discovery })}
          />
        </div>
        <div>
          <h3>{names.influx}</h3>
          <Check
            label={t('settings.integrations.enableInflux')}
            checked={influx.enabled}
            onChange={(enabled) => set('influx', { enabled })}
          />
          <div className="form-grid">
            <Text
              label={t('settings.integrations.influxUrl')}
              value={influx.url}
              onChange={(url) => set('influx', { url })}
            />
            <Field label={t('settings.integrations.version')}>
              <select
                value={influx.version}
                aria-label={t('settings.integrations.version')}
                onChange={(e) => set('influx', { version: e.target.value === '2' ? 2 : 1 })}
              >
                <option value={1}>{t('settings.integrations.v1')}</option>
                <option value={2}>{t('settings.integrations.v2')}</option>
              </select>
            </Field>
            {influx.version === 1 ? (
              <>
                <Text
                  label={t('settings.integrations.database')}
                  value={influx.database}
                  onChange={(database) => set('influx', { database })}
                />
                <Text
                  label={t('settings.integrations.influxUser')}
                  value={influx.username}
                  onChange={(username) => set('influx', { username })}
                />
                <Text
                  label={t('settings.integrations.influxPassword')}
                  type="password"
                  value={secrets.influxPassword}
                  hint={secretHint(influx.passwordSet)}
                  onChange={(v) => setSecret('influxPassword', v)}
                />
              </>
            ) : (
              <>
                <Text
                  label={t('settings.integrations.org')}
                  value={influx.org}
                  onChange={(org) => set('influx', { org })}
                />
                <Text
                  label={t('settings.integrations.bucket')}
                  value={influx.bucket}
                  onChange={(bucket) => set('influx', { bucket })}
                />
                <Text
                  label={t('settings.integrations.token')}
                  type="password"
                  value={secrets.influxToken}
                  hint={secretHint(influx.tokenSet)}
                  onChange={(v) => setSecret('influxToken', v)}
                />
              </>
            )}
          </div>
        </div>
        <div>
          <h3>{names.prometheus}</h3>
          <Check
            label={t('settings.integrations.enablePrometheus')}
            checked={prometheus.enabled}
            onChange={(enabled) => set('prometheus', { enabled })}
          />
          <Check
            label={t('settings.integrations.openOnLoopback')}
            checked={prometheus.openOnLoopback}
            onChange={(openOnLoopback) => set('prometheus', { openOnLoopback })}
          />
          <p className="muted small">{t('settings.integrations.prometheusHint')}</p>
        </div>
        <div>
          <h3>{names.modbusGateway}</h3>
          <Check
            label={t('settings.integrations.enableGateway')}
            checked={modbusGateway.enabled}
            onChange={(enabled) => set('modbusGateway', { enabled })}
          />
          <div className="form-grid">
            <Text
              label={t('settings.integrations.gatewayHost')}
              value={modbusGateway.host}
              onChange={(host) => set('modbusGateway', { host })}
            />
            <Text
              label={t('settings.integrations.gatewayPort')}
              type="number"
              value={String(modbusGateway.port)}
              onChange={(port) => set('modbusGateway', { port: Number(port) })}
            />
          </div>
          <Check
            label={t('settings.integrations.allowRemote')}
            checked={modbusGateway.allowRemote}
            onChange={(allowRemote) => set('modbusGateway', { allowRemote })}
          />
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-primary" disabled={action.busy} onClick={() => void save()}>
          {t('settings.integrations.save')}
        </button>
        {saved && <span className="text-ok">{t('settings.saved')}</span>}
      </div>
    </Section>
  );
}
