import type { HistorySeries } from '../../../../src-preload/contract/index.js';

export interface CsvSignal {
  uid: number;
  device: string;
  signal: string;
  unit: string;
}

const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** History roll-ups as CSV: one row per signal and minute, ISO time first for spreadsheets. */
export function historyCsv(series: readonly HistorySeries[], names: ReadonlyMap<number, CsvSignal>): string {
  const lines = ['time_utc,period_end_s,signal_uid,device,signal,unit,mean_or_last,min,max,delta'];
  for (const s of series) {
    const n = names.get(s.uid);
    for (let i = 0; i < s.p.length; i++) {
      const p = s.p[i] ?? 0;
      lines.push(
        [
          new Date(p * 1000).toISOString(),
          p,
          s.uid,
          quote(n?.device ?? ''),
          quote(n?.signal ?? ''),
          quote(n?.unit ?? ''),
          s.v[i],
          s.min[i],
          s.max[i],
          s.d[i],
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Hands a file to the browser's download (in the desktop window: a save dialog). */
export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
