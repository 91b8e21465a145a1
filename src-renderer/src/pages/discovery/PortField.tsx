import type { PortView } from '../../../../src-preload/contract/index.js';
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n/index.js';
import { Field } from '../../components/ui.js';

function portText(p: PortView): string {
  const ids = p.vendorId && p.productId ? ` [${p.vendorId}:${p.productId}]` : '';
  const who = p.chip ?? p.manufacturer ?? '';
  return `${p.path}${who ? ` — ${who}` : ''}${ids}${p.rs485Likely ? `  · ${i18n.t('discovery.port.rs485')}` : ''}`;
}

/** A serial port from the list the operating system gives, or any path typed in (a pty works too). */
export function PortField({
  port,
  onChange,
  ports,
  onRefreshPorts,
}: {
  port: string;
  onChange: (port: string) => void;
  ports: PortView[];
  onRefreshPorts: () => void;
}) {
  const { t } = useTranslation();
  const listed = ports.some((p) => p.path === port);
  return (
    <Field
      label={t('devices.new.serialPort')}
      hint={ports.length ? t('discovery.port.hint') : t('discovery.port.none')}
    >
      <div className="row">
        <select
          value={listed ? port : ''}
          onChange={(e) => onChange(e.target.value)}
          aria-label={t('devices.new.serialPort')}
        >
          <option value="">{ports.length ? t('discovery.port.other') : '—'}</option>
          {ports.map((p) => (
            <option key={p.path} value={p.path}>
              {portText(p)}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-sm btn-ghost" onClick={onRefreshPorts}>
          {t('common.refresh')}
        </button>
      </div>
      {!listed && (
        <input
          value={port}
          onChange={(e) => onChange(e.target.value)}
          placeholder="/dev/ttyUSB0"
          aria-label={t('discovery.port.path')}
        />
      )}
    </Field>
  );
}
