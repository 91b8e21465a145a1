import type { Parity, PortView } from '../../../../src-preload/contract/index.js';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui.js';
import { PortField } from './PortField.js';
import { RangeFields } from './RangeFields.js';
import { BAUDS, PARITIES, toggle, type ScanForm } from './scan-form.js';

export function ScanFormView({
  form,
  onChange,
  ports,
  disabled,
  onRefreshPorts,
}: {
  form: ScanForm;
  onChange: (f: ScanForm) => void;
  ports: PortView[];
  disabled: boolean;
  onRefreshPorts: () => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<ScanForm>): void => onChange({ ...form, ...patch });
  return (
    <fieldset className="scan-form" disabled={disabled}>
      {form.protocol === 'rtu' ? (
        <div className="scan-grid">
          <PortField
            port={form.port}
            onChange={(port) => set({ port })}
            ports={ports}
            onRefreshPorts={onRefreshPorts}
          />
          <Field label={t('discovery.bauds')}>
            <div className="checks">
              {BAUDS.map((b) => (
                <label key={b}>
                  <input
                    type="checkbox"
                    checked={form.bauds.includes(b)}
                    onChange={() => set({ bauds: toggle(form.bauds, b) })}
                  />
                  {b}
                </label>
              ))}
            </div>
          </Field>
          <Field label={t('devices.new.parity')}>
            <div className="checks">
              {PARITIES.map((p: Parity) => (
                <label key={p}>
                  <input
                    type="checkbox"
                    checked={form.parities.includes(p)}
                    onChange={() => set({ parities: toggle(form.parities, p) })}
                  />
                  {t(`common.parity.${p}`)}
                </label>
              ))}
            </div>
          </Field>
          <Field label={t('devices.new.stopBits')}>
            <div className="checks">
              {([1, 2] as const).map((s) => (
                <label key={s}>
                  <input
                    type="checkbox"
                    checked={form.stopBits.includes(s)}
                    onChange={() => set({ stopBits: toggle(form.stopBits, s) })}
                  />
                  {s}
                </label>
              ))}
            </div>
          </Field>
        </div>
      ) : (
        <div className="scan-grid">
          <Field label={t('discovery.hosts')} hint={t('discovery.hostsHint')}>
            <textarea
              rows={2}
              value={form.hosts}
              onChange={(e) => set({ hosts: e.target.value })}
              aria-label={t('discovery.hosts')}
            />
          </Field>
          <Field label={t('devices.new.tcpPort')}>
            <input
              className="short"
              value={form.tcpPort}
              onChange={(e) => set({ tcpPort: e.target.value })}
              inputMode="numeric"
              aria-label={t('devices.new.tcpPort')}
            />
          </Field>
        </div>
      )}
      <RangeFields
        what="units"
        from={form.unitFrom}
        to={form.unitTo}
        onChange={(p) =>
          set({
            ...(p.from !== undefined ? { unitFrom: p.from } : {}),
            ...(p.to !== undefined ? { unitTo: p.to } : {}),
          })
        }
      />
    </fieldset>
  );
}
