import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistorySeries } from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { formatDateTime, formatNumber, toLocalInput } from '../../components/format.js';
import { Empty, Notice, PageHeader } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { useStoreVersion } from '../../state/store-context.js';
import { SignalPicker } from '../live/SignalPicker.js';
import { download, historyCsv, type CsvSignal } from './csv.js';
import { HistoryChart, type HistoryLine } from './HistoryChart.js';

const PRESETS = [
  { label: 'history.preset.hour', ms: 3_600_000 },
  { label: 'history.preset.h6', ms: 6 * 3_600_000 },
  { label: 'history.preset.h24', ms: 24 * 3_600_000 },
  { label: 'history.preset.d7', ms: 7 * 24 * 3_600_000 },
] as const;

/** The last `ms` up to the next minute (the current minute's roll-up is not written yet). */
function lastRange(ms: number): [number, number] {
  const end = Date.now() + 60_000;
  return [end - ms - 60_000, end];
}

export function HistoryPage({ initial }: { initial: number[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const store = useStoreVersion();
  const action = useAction();
  const [uids, setUids] = useState<number[]>(() => initial.slice(0, 8));
  const [from, setFrom] = useState(() => toLocalInput(lastRange(3_600_000)[0]));
  const [to, setTo] = useState(() => toLocalInput(lastRange(3_600_000)[1]));
  const [data, setData] = useState<{
    series: HistorySeries[];
    lines: HistoryLine[];
    start: number;
    end: number;
  } | null>(null);

  const preset = (ms: number): void => {
    const [start, end] = lastRange(ms);
    setFrom(toLocalInput(start));
    setTo(toLocalInput(end));
  };

  const names = useMemo(() => {
    const m = new Map<number, CsvSignal>();
    for (const [uid, r] of store.index)
      m.set(uid, { uid, device: r.device.label, signal: r.signal.name, unit: r.signal.unit });
    return m;
  }, [store.index]);

  const show = async (): Promise<void> => {
    const start = new Date(from).getTime();
    const end = new Date(to).getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end)) return;
    const series = await action.run(() => call(api, 'history.get', { uids, start, end }));
    if (!series) return;
    const lines = series.map((s) => {
      const n = names.get(s.uid);
      return {
        uid: s.uid,
        label: n ? `${n.device} · ${n.signal}` : t('live.signalN', { uid: s.uid }),
        unit: n?.unit ?? '',
      };
    });
    setData({ series, lines, start, end });
  };

  const rows = data?.series.reduce((n, s) => n + s.p.length, 0) ?? 0;
  return (
    <div className="page page-split">
      <div className="split-left narrow">
        <PageHeader title={t('history.title')} />
        <SignalPicker selected={uids} onChange={setUids} max={8} />
      </div>
      <div className="split-right">
        <div className="toolbar wrap">
          <div className="segmented" role="group" aria-label={t('history.presets')}>
            {PRESETS.map((p) => (
              <button key={p.ms} type="button" onClick={() => preset(p.ms)}>
                {t(p.label)}
              </button>
            ))}
          </div>
          <label className="inline-field">
            {t('history.from')}
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-label={t('history.from')}
            />
          </label>
          <label className="inline-field">
            {t('history.to')}
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-label={t('history.toLabel')}
            />
          </label>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!uids.length || action.busy}
            onClick={() => void show()}
          >
            {action.busy ? t('history.loading') : t('history.show')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={!rows}
            onClick={() =>
              data &&
              download(
                `history-${new Date(data.start).toISOString().slice(0, 16).replace(':', '')}.csv`,
                historyCsv(data.series, names),
              )
            }
          >
            {t('history.export')}
          </button>
        </div>
        {action.error && <Notice tone="err">{action.error}</Notice>}
        {!data && <Empty>{t('history.empty')}</Empty>}
        {data && rows === 0 && (
          <Empty>
            {t('history.noValues', { from: formatDateTime(data.start), to: formatDateTime(data.end) })}
          </Empty>
        )}
        {data && rows > 0 && (
          <>
            <HistoryChart series={data.series} lines={data.lines} />
            <table className="table" data-testid="history-summary">
              <thead>
                <tr>
                  <th>{t('devices.signal.signal')}</th>
                  <th className="num">{t('history.minutes')}</th>
                  <th className="num">{t('history.min')}</th>
                  <th className="num">{t('history.mean')}</th>
                  <th className="num">{t('history.max')}</th>
                  <th>{t('devices.signal.unit')}</th>
                </tr>
              </thead>
              <tbody>
                {data.series.map((s, i) => {
                  const mean = s.v.length ? s.v.reduce((a, b) => a + b, 0) / s.v.length : null;
                  return (
                    <tr key={s.uid}>
                      <td>{data.lines[i]?.label}</td>
                      <td className="num">{s.p.length}</td>
                      <td className="num">{formatNumber(s.min.length ? Math.min(...s.min) : null)}</td>
                      <td className="num">{formatNumber(mean)}</td>
                      <td className="num">{formatNumber(s.max.length ? Math.max(...s.max) : null)}</td>
                      <td>{data.lines[i]?.unit}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
