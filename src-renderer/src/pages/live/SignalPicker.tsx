import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStoreVersion } from '../../state/store-context.js';

/** Every signal of every load, with a checkbox: pick any mix of loads and devices for one chart. */
export function SignalPicker({
  selected,
  onChange,
  max = 20,
}: {
  selected: number[];
  onChange: (uids: number[]) => void;
  max?: number;
}) {
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [q, setQ] = useState('');
  const query = q.trim().toLowerCase();
  const chosen = new Set(selected);
  const toggle = (uid: number): void => {
    if (chosen.has(uid)) onChange(selected.filter((u) => u !== uid));
    else if (selected.length < max) onChange([...selected, uid]);
  };
  return (
    <div className="picker">
      <input
        className="filter"
        type="search"
        placeholder={t('live.find')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-label={t('live.findLabel')}
      />
      <div className="picker-count muted small">
        {t('live.selected', { n: selected.length, max })}
        {selected.length > 0 && (
          <button type="button" className="link" onClick={() => onChange([])}>
            {t('live.clear')}
          </button>
        )}
      </div>
      <div className="picker-list">
        {store.tree.map((d) =>
          d.loads.map((l) => {
            const signals = l.signals.filter(
              (s) =>
                !query ||
                s.name.toLowerCase().includes(query) ||
                d.label.toLowerCase().includes(query) ||
                s.key.includes(query),
            );
            if (!signals.length) return null;
            return (
              <div key={l.uid} className="picker-group">
                <div className="picker-head" title={`${d.label} / ${l.label}`}>
                  {d.label}
                  {d.loads.length > 1 ? ` / ${l.label}` : ''}
                </div>
                {signals.map((s) => (
                  <label
                    key={s.uid}
                    className="picker-item"
                    data-testid="pick-signal"
                    data-uid={s.uid}
                    data-key={s.key}
                  >
                    <input
                      type="checkbox"
                      checked={chosen.has(s.uid)}
                      onChange={() => toggle(s.uid)}
                      disabled={!chosen.has(s.uid) && selected.length >= max}
                    />
                    <span>{s.name}</span>
                    <span className="unit">{s.unit}</span>
                  </label>
                ))}
              </div>
            );
          }),
        )}
      </div>
    </div>
  );
}
