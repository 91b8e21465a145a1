import type { Parity, PortView } from '../../../../src-preload/contract/index.js';
import { Field } from '../../components/ui.js';
import { BAUDS, PARITIES, type ScanForm } from './scan-form.js';

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

function portText(p: PortView): string {
  const ids = p.vendorId && p.productId ? ` [${p.vendorId}:${p.productId}]` : '';
  const who = p.chip ?? p.manufacturer ?? '';
  return `${p.path}${who ? ` — ${who}` : ''}${ids}${p.rs485Likely ? '  · RS485 adapter likely' : ''}`;
}

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
  const set = (patch: Partial<ScanForm>): void => onChange({ ...form, ...patch });
  const listed = ports.some((p) => p.path === form.port);
  return (
    <fieldset className="scan-form" disabled={disabled}>
      <div className="segmented" role="group" aria-label="Protocol">
        <button
          type="button"
          className={form.protocol === 'rtu' ? 'on' : ''}
          aria-pressed={form.protocol === 'rtu'}
          onClick={() => set({ protocol: 'rtu' })}
        >
          Modbus RTU (RS485)
        </button>
        <button
          type="button"
          className={form.protocol === 'tcp' ? 'on' : ''}
          aria-pressed={form.protocol === 'tcp'}
          onClick={() => set({ protocol: 'tcp' })}
        >
          Modbus TCP
        </button>
      </div>
      {form.protocol === 'rtu' ? (
        <div className="scan-grid">
          <Field
            label="Serial port"
            hint={
              ports.length
                ? 'USB ids and chip from the operating system'
                : 'No serial ports found: type the path (a pty works too)'
            }
          >
            <div className="row">
              <select
                value={listed ? form.port : ''}
                onChange={(e) => set({ port: e.target.value })}
                aria-label="Serial port"
              >
                <option value="">{ports.length ? 'Other path…' : '—'}</option>
                {ports.map((p) => (
                  <option key={p.path} value={p.path}>
                    {portText(p)}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-sm btn-ghost" onClick={onRefreshPorts}>
                Refresh
              </button>
            </div>
            {!listed && (
              <input
                value={form.port}
                onChange={(e) => set({ port: e.target.value })}
                placeholder="/dev/ttyUSB0"
                aria-label="Serial port path"
              />
            )}
          </Field>
          <Field label="Baud rates">
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
          <Field label="Parity">
            <div className="checks">
              {PARITIES.map((p: Parity) => (
                <label key={p}>
                  <input
                    type="checkbox"
                    checked={form.parities.includes(p)}
                    onChange={() => set({ parities: toggle(form.parities, p) })}
                  />
                  {p}
                </label>
              ))}
            </div>
          </Field>
          <Field label="Stop bits">
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
          <Field label="Hosts" hint="Addresses, names or ranges, separated by commas: 10.0.0.5, 10.0.1.0/29">
            <textarea
              rows={2}
              value={form.hosts}
              onChange={(e) => set({ hosts: e.target.value })}
              aria-label="Hosts"
            />
          </Field>
          <Field label="TCP port">
            <input
              className="short"
              value={form.tcpPort}
              onChange={(e) => set({ tcpPort: e.target.value })}
              inputMode="numeric"
              aria-label="TCP port"
            />
          </Field>
        </div>
      )}
      <div className="units-grid">
        <Field label="Unit ids from">
          <input
            value={form.unitFrom}
            onChange={(e) => set({ unitFrom: e.target.value })}
            inputMode="numeric"
            aria-label="Unit ids from"
          />
        </Field>
        <Field label="to">
          <input
            value={form.unitTo}
            onChange={(e) => set({ unitTo: e.target.value })}
            inputMode="numeric"
            aria-label="Unit ids to"
          />
        </Field>
      </div>
    </fieldset>
  );
}
