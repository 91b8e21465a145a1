import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui.js';

/** A "from … to" pair of number inputs (unit ids, primary addresses). */
export function RangeFields({
  what,
  from,
  to,
  onChange,
}: {
  /** Unit ids or primary addresses. */
  what: 'units' | 'primary';
  from: string;
  to: string;
  onChange: (patch: { from?: string; to?: string }) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="units-grid">
      <Field label={t(`discovery.range.${what}From`)}>
        <input
          value={from}
          onChange={(e) => onChange({ from: e.target.value })}
          inputMode="numeric"
          aria-label={t(`discovery.range.${what}FromLabel`)}
        />
      </Field>
      <Field label={t('discovery.range.to')}>
        <input
          value={to}
          onChange={(e) => onChange({ to: e.target.value })}
          inputMode="numeric"
          aria-label={t(`discovery.range.${what}ToLabel`)}
        />
      </Field>
    </div>
  );
}
