import { Field } from '../../components/ui.js';

/** A "from … to" pair of number inputs (unit ids, primary addresses). */
export function RangeFields({
  label,
  aria,
  from,
  to,
  onChange,
}: {
  label: string;
  aria: string;
  from: string;
  to: string;
  onChange: (patch: { from?: string; to?: string }) => void;
}) {
  return (
    <div className="units-grid">
      <Field label={`${label} from`}>
        <input
          value={from}
          onChange={(e) => onChange({ from: e.target.value })}
          inputMode="numeric"
          aria-label={`${aria} from`}
        />
      </Field>
      <Field label="to">
        <input
          value={to}
          onChange={(e) => onChange({ to: e.target.value })}
          inputMode="numeric"
          aria-label={`${aria} to`}
        />
      </Field>
    </div>
  );
}
