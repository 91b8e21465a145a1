import type { ReactNode } from 'react';
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
  what,
  noun,
  running,
  progress,
  finished,
  children,
}: {
  /** "Scan", "M-Bus scan" */
  what: string;
  /** "device", "meter" */
  noun: string;
  running: { total: number } | null;
  progress: ScanProgress | null;
  finished: Finished | null;
  /** Extra lines under the outcome (hints). */
  children?: ReactNode;
}) {
  const n = finished?.found.length ?? 0;
  return (
    <>
      {(running || progress) && (
        <ProgressBar
          progress={progress}
          total={running?.total ?? 0}
          running={running !== null}
          ended={finished ? `scan ${finished.outcome === 'done' ? 'finished' : finished.outcome}` : ''}
        />
      )}
      {finished && (
        <Notice
          tone={finished.outcome === 'failed' ? 'err' : finished.outcome === 'cancelled' ? 'warn' : 'ok'}
        >
          {finished.outcome === 'done' &&
            `${what} finished in ${formatDuration(finished.durationMs)}: ${n} ${noun}${n === 1 ? '' : 's'} found.`}
          {finished.outcome === 'cancelled' && `${what} cancelled; ${n} found before that.`}
          {finished.outcome === 'failed' && `The scan stopped: ${finished.message ?? 'unknown error'}`}
          {children}
        </Notice>
      )}
    </>
  );
}
