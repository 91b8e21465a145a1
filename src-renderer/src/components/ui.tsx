import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEscape } from './keys.js';

export type Tone = 'ok' | 'warn' | 'err' | 'idle' | 'info';

/** A coloured dot whose colour always means the same: green online, amber stale, red error, grey off. */
export function StatusDot({ tone, title }: { tone: Tone; title?: string }) {
  return <span className={`dot dot-${tone}`} title={title} aria-label={title} />;
}

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Notice({
  tone,
  children,
  onClose,
}: {
  tone: Tone;
  children: ReactNode;
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  useEscape(onClose);
  return (
    <div className={`notice notice-${tone}`} role={tone === 'err' ? 'alert' : 'status'}>
      <div className="notice-body">{children}</div>
      {onClose && (
        <button type="button" className="link" onClick={onClose} aria-label={t('common.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </div>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>{title}</h2>
        {actions && <div className="panel-actions">{actions}</div>}
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}
