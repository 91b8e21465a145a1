import type { PortView } from '../../../../src-preload/contract/index.js';
import { Field } from '../../components/ui.js';

function portText(p: PortView): string {
  const ids = p.vendorId && p.productId ? ` [${p.vendorId}:${p.productId}]` : '';
  const who = p.chip ?? p.manufacturer ?? '';
  return `${p.path}${who ? ` — ${who}` : ''}${ids}${p.rs485Likely ? '  · RS485 adapter likely' : ''}`;
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
  const listed = ports.some((p) => p.path === port);
  return (
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
          value={listed ? port : ''}
          onChange={(e) => onChange(e.target.value)}
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
          value={port}
          onChange={(e) => onChange(e.target.value)}
          placeholder="/dev/ttyUSB0"
          aria-label="Serial port path"
        />
      )}
    </Field>
  );
}
