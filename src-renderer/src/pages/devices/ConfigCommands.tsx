import { useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const [key, setKey] = useState(commands[0]?.key ?? '');
  const cmd = commands.find((c) => c.key === key);
  if (!commands.length) return null;
  return (
    <div className="config-commands">
      <span className="field-label">{t('devices.config.commands')}</span>
      <select value={key} onChange={(e) => setKey(e.target.value)} aria-label={t('devices.config.command')}>
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
          if (window.confirm(t('devices.config.commandConfirm', { label: cmd.label })))
            onSend(cmd.key, value);
        }}
      >
        {t('devices.config.send')}
      </button>
    </div>
  );
}
