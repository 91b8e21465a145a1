import { useTranslation } from 'react-i18next';
import type { ScanProgress } from '../../../../src-preload/contract/index.js';
import { formatDuration } from '../../components/format.js';

/** The bar under a running (or just ended) scan: where it is, how far, how long still. */
export function ProgressBar({
  progress,
  total: startTotal,
  running,
  ended,
}: {
  progress: ScanProgress | null;
  /** The start call's estimate, until the first progress event. */
  total: number;
  running: boolean;
  /** Shown in place of the position once the scan is over: "scan finished". */
  ended: string;
}) {
  const { t } = useTranslation();
  const done = progress?.done ?? 0;
  const total = progress?.total ?? startTotal;
  const pct = total ? Math.min(100, (100 * done) / total) : 0;
  return (
    <div className="scan-progress" data-testid="scan-progress">
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <div className="progress-text">
        <span className="mono">
          {running ? (progress?.current ?? t('discovery.progress.starting')) : ended}
        </span>
        <span className="num">
          {done} / {total}
        </span>
        <span className="num">
          {running
            ? progress?.etaMs != null
              ? t('discovery.progress.left', { duration: formatDuration(progress.etaMs) })
              : t('discovery.progress.estimating')
            : ''}
        </span>
      </div>
    </div>
  );
}
