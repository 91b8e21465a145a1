import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModelSummary, Parity } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Field, Notice, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';

/** A meter whose address the technician already knows: model, line and unit id. */
export function AddDeviceForm({ onAdded }: { onAdded: (uid: number) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [model, setModel] = useState('');
  const [protocol, setProtocol] = useState<'rtu' | 'tcp'>('tcp');
  const [label, setLabel] = useState('');
  const [host, setHost] = useState('192.168.1.10');
  const [port, setPort] = useState('502');
  const [path, setPath] = useState('/dev/ttyUSB0');
  const [baud, setBaud] = useState('9600');
  const [parity, setParity] = useState<Parity>('none');
  const [stopBits, setStopBits] = useState<1 | 2>(1);
  const [unit, setUnit] = useState('1');
  useEffect(() => {
    void call(api, 'config.models').then((m) => {
      setModels(m);
      setModel((cur) => cur || m[0]?.id || '');
    });
  }, [api]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const connection =
      protocol === 'tcp'
        ? { host: host.trim(), port: Number(port), unit: Number(unit), model }
        : { port: path.trim(), baud: Number(baud), parity, stopBits, unit: Number(unit), model };
    const d = await action.run(() =>
      call(api, 'device.add', { model, connection, ...(label.trim() ? { label: label.trim() } : {}) }),
    );
    if (d) onAdded(d.uid);
  };

  return (
    <div className="detail">
      <div className="detail-head">
        <h2>{t('devices.new.title')}</h2>
      </div>
      <Section title={t('devices.new.meter')}>
        <form className="form-grid" onSubmit={(e) => void submit(e)} aria-label={t('devices.new.form')}>
          <Field label={t('devices.device.model')}>
            <select
              value={model}
              onChange={(e) => setModel(e.target.value)}
              aria-label={t('devices.device.model')}
            >
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.vendor} {m.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('devices.new.name')} hint={t('devices.new.nameHint')}>
            <input
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              maxLength={80}
              aria-label={t('devices.device.name')}
            />
          </Field>
          <Field label={t('devices.device.connection')}>
            <select
              value={protocol}
              onChange={(e) => setProtocol(e.target.value as 'rtu' | 'tcp')}
              aria-label={t('devices.device.connection')}
            >
              <option value="tcp">Modbus TCP</option>
              <option value="rtu">{t('devices.new.rtu')}</option>
            </select>
          </Field>
          {protocol === 'tcp' ? (
            <>
              <Field label={t('devices.new.host')}>
                <input
                  value={host}
                  onChange={(e) => setHost(e.target.value)}
                  required
                  aria-label={t('devices.new.host')}
                />
              </Field>
              <Field label={t('devices.new.tcpPort')}>
                <input
                  value={port}
                  onChange={(e) => setPort(e.target.value)}
                  inputMode="numeric"
                  required
                  aria-label={t('devices.new.tcpPort')}
                />
              </Field>
            </>
          ) : (
            <>
              <Field label={t('devices.new.serialPort')}>
                <input
                  value={path}
                  onChange={(e) => setPath(e.target.value)}
                  required
                  aria-label={t('devices.new.serialPort')}
                />
              </Field>
              <Field label={t('devices.new.baud')}>
                <select
                  value={baud}
                  onChange={(e) => setBaud(e.target.value)}
                  aria-label={t('devices.new.baud')}
                >
                  {[1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].map((b) => (
                    <option key={b}>{b}</option>
                  ))}
                </select>
              </Field>
              <Field label={t('devices.new.parity')}>
                <select
                  value={parity}
                  onChange={(e) => setParity(e.target.value as Parity)}
                  aria-label={t('devices.new.parity')}
                >
                  <option value="none">{t('common.parity.none')}</option>
                  <option value="even">{t('common.parity.even')}</option>
                  <option value="odd">{t('common.parity.odd')}</option>
                </select>
              </Field>
              <Field label={t('devices.new.stopBits')}>
                <select
                  value={stopBits}
                  onChange={(e) => setStopBits(Number(e.target.value) === 2 ? 2 : 1)}
                  aria-label={t('devices.new.stopBits')}
                >
                  <option value={1}>1</option>
                  <option value={2}>2</option>
                </select>
              </Field>
            </>
          )}
          <Field label={t('devices.new.unit')}>
            <input
              value={unit}
              onChange={(e) => setUnit(e.target.value)}
              inputMode="numeric"
              required
              aria-label={t('devices.new.unit')}
            />
          </Field>
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={action.busy || !model}>
              {t('devices.add')}
            </button>
          </div>
        </form>
        {action.error && <Notice tone="err">{action.error}</Notice>}
      </Section>
    </div>
  );
}
