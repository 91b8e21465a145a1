import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** A label that becomes a text field on "Rename"; Enter saves, Escape cancels. */
export function InlineEdit({
  value,
  onSave,
  label,
}: {
  value: string;
  onSave: (v: string) => Promise<void> | void;
  label: string;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const save = async (): Promise<void> => {
    const v = draft.trim();
    if (v && v !== value) await onSave(v);
    setEditing(false);
  };
  const key = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') void save();
    if (e.key === 'Escape') setEditing(false);
  };
  if (!editing)
    return (
      <span className="inline-edit">
        <span>{value}</span>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => {
            setDraft(value);
            setEditing(true);
          }}
        >
          {t('common.rename')}
        </button>
      </span>
    );
  return (
    <span className="inline-edit">
      <input
        aria-label={label}
        value={draft}
        maxLength={80}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={key}
      />
      <button type="button" className="btn btn-primary btn-sm" onClick={() => void save()}>
        {t('common.save')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
