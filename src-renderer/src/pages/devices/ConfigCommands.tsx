import { useState } from 'react';
import type { ConfigField } from '../../../../src-preload/contract/index.js';

/** One-shot commands of the meter (counter resets): picked from a list, confirmed, then sent. */
export function ConfigCommands({
  commands,
  busy,
  onSend,
}: {
  commands: ConfigField[];
  busy: boolean;
  onSend: (key: string, value: number) => void;
}) {
  const [key, setKey] = useState(commands[0]?.key ?? '');
  const cmd = commands.find((c) => c.key === key);
  if (!commands.length) return null;
  return (
    <div className="config-commands">
      <span className="field-label">Commands</span>
      <select value={key} onChange={(e) => setKey(e.target.value)} aria-label="Meter command">
        {commands.map((c) => (
          <option key={c.key} value={c.key}>
            {c.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-danger-ghost"
        disabled={busy || !cmd}
        title={cmd?.note ?? undefined}
        onClick={() => {
          if (!cmd) return;
          const value = cmd.choices?.[0]?.value ?? cmd.min ?? 1;
          if (window.confirm(`${cmd.label}: send this command to the meter now? It cannot be undone.`))
            onSend(cmd.key, value);
        }}
      >
        Send…
      </button>
    </div>
  );
}
