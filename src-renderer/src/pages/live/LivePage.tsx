import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAge, formatNumber } from '../../components/format.js';
import { sampleText, sampleTone } from '../../components/status.js';
import { Empty, PageHeader, StatusDot } from '../../components/ui.js';
import { useNow, useStore, useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { LiveChart } from './LiveChart.js';
import { colorAt } from './palette.js';
import { SignalPicker } from './SignalPicker.js';

const WINDOWS = [
  { ms: 60_000, unit: 'min', n: 1 },
  { ms: 600_000, unit: 'min', n: 10 },
  { ms: 3_600_000, unit: 'h', n: 1 },
] as const;

export function LivePage({ uids, onChange }: { uids: number[]; onChange: (uids: number[]) => void }) {
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [windowMs, setWindowMs] = useState<number>(60_000);
  const [paused, setPaused] = useState(false);
  const known = uids.filter((u) => store.index.has(u));
  const series = known.map((uid, i) => {
    const ref = store.index.get(uid);
    const label = ref ? `${ref.device.label} · ${ref.signal.name}` : t('live.signalN', { uid });
    return { uid, label, unit: ref?.signal.unit ?? '', color: colorAt(i) };
  });
  return (
    <div className="page page-split">
      <div className="split-left narrow">
        <PageHeader title={t('live.title')} />
        <SignalPicker selected={known} onChange={onChange} />
      </div>
      <div className="split-right">
        <div className="toolbar">
          <div className="segmented" role="group" aria-label={t('live.window')}>
            {WINDOWS.map((w) => (
              <button
                key={w.ms}
                type="button"
                className={w.ms === windowMs ? 'on' : ''}
                aria-pressed={w.ms === windowMs}
                onClick={() => setWindowMs(w.ms)}
              >
                {t(`common.time.${w.unit}`, { n: w.n })}
              </button>
            ))}
          </div>
          <button
            type="button"
            className={`btn btn-sm ${paused ? 'btn-primary' : ''}`}
            onClick={() => setPaused(!paused)}
          >
            {paused ? t('common.resume') : t('common.pause')}
          </button>
          {paused && <span className="muted small">{t('live.paused')}</span>}
        </div>
        {series.length ? (
          <>
            <LiveChart
              buffers={store.buffers}
              series={series}
              windowMs={windowMs}
              paused={paused}
              subscribe={store.subscribe}
            />
            <LiveTable
              uids={known}
              colors={series.map((s) => s.color)}
              onRemove={(uid) => onChange(uids.filter((u) => u !== uid))}
            />
          </>
        ) : (
          <Empty>{t('live.empty')}</Empty>
        )}
      </div>
    </div>
  );
}

function LiveTable({
  uids,
  colors,
  onRemove,
}: {
  uids: number[];
  colors: string[];
  onRemove: (uid: number) => void;
}) {
  const { t } = useTranslation();
  const store = useStore();
  useValuesTick(500);
  const now = useNow(1000);
  return (
    <table className="table values-table" data-testid="live-table">
      <thead>
        <tr>
          <th />
          <th>{t('live.device')}</th>
          <th>{t('devices.signal.signal')}</th>
          <th className="num">{t('devices.signal.value')}</th>
          <th>{t('devices.signal.unit')}</th>
          <th>{t('live.status')}</th>
          <th className="num">{t('live.age')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {uids.map((uid, i) => {
          const ref = store.index.get(uid);
          const v = store.latest.get(uid);
          const age = v ? now - v.t : Infinity;
          return (
            <tr key={uid}>
              <td>
                <span className="swatch" style={{ background: colors[i] }} />
              </td>
              <td>{ref?.device.label}</td>
              <td>{ref?.signal.name}</td>
              <td className="num strong">{formatNumber(v?.v)}</td>
              <td>{ref?.signal.unit}</td>
              <td>
                <StatusDot tone={sampleTone(v?.s, age, ref?.device.pollMs ?? 1000)} /> {sampleText(v?.s)}
              </td>
              <td className="num">{formatAge(v ? age : null)}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => onRemove(uid)}
                  aria-label={t('live.removeFromPlot')}
                >
                  ×
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
