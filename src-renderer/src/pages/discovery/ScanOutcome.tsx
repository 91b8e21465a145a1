import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanProgress } from '../../../../src-preload/contract/index.js';
import { formatDuration } from '../../components/format.js';
import { Notice } from '../../components/ui.js';
import { ProgressBar } from './ProgressBar.js';

interface Finished {
  outcome: 'done' | 'cancelled' | 'failed';
  durationMs: number;
  message: string | null;
  found: readonly unknown[];
}

/** Progress of a running scan and, once it ended, how it ended: the same for every protocol's scan. */
export function ScanOutcome({
  kind,
  running,
  progress,
  finished,
  children,
}: {
  /** A Modbus scan finds devices, an M-Bus scan meters: the words differ. */
  kind: 'modbus' | 'mbus';
  running: { total: number } | null;
  progress: ScanProgress | null;
  finished: Finished | null;
  /** Extra lines under the outcome (hints). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const n = finished?.found.length ?? 0;
  const ended =
    finished?.outcome === 'done'
      ? t('discovery.outcome.endedDone')
      : finished?.outcome === 'cancelled'
        ? t('discovery.outcome.endedCancelled')
        : finished
          ? t('discovery.outcome.endedFailed')
          : '';
  return (
    <>
      {(running || progress) && (
        <ProgressBar
          progress={progress}
          total={running?.total ?? 0}
          running={running !== null}
          ended={ended}
        />
      )}
      {finished && (
        <Notice
          tone={finished.outcome === 'failed' ? 'err' : finished.outcome === 'cancelled' ? 'warn' : 'ok'}
        >
          {finished.outcome === 'done' &&
            t(kind === 'mbus' ? 'discovery.outcome.doneMbus' : 'discovery.outcome.done', {
              count: n,
              duration: formatDuration(finished.durationMs),
            })}
          {finished.outcome === 'cancelled' &&
            t(kind === 'mbus' ? 'discovery.outcome.cancelledMbus' : 'discovery.outcome.cancelled', {
              count: n,
            })}
          {finished.outcome === 'failed' &&
            t('discovery.outcome.failed', { message: finished.message ?? t('discovery.outcome.unknown') })}
          {children}
        </Notice>
      )}
    </>
  );
}
