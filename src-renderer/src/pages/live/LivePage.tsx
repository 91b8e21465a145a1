import { useState } from 'react';
import { formatAge, formatNumber } from '../../components/format.js';
import { sampleText, sampleTone } from '../../components/status.js';
import { Empty, PageHeader, StatusDot } from '../../components/ui.js';
import { useNow, useStore, useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { LiveChart } from './LiveChart.js';
import { colorAt } from './palette.js';
import { SignalPicker } from './SignalPicker.js';

const WINDOWS = [
  { ms: 60_000, label: '1 min' },
  { ms: 600_000, label: '10 min' },
  { ms: 3_600_000, label: '1 h' },
] as const;

export function LivePage({ uids, onChange }: { uids: number[]; onChange: (uids: number[]) => void }) {
  const store = useStoreVersion();
  const [windowMs, setWindowMs] = useState<number>(60_000);
  const [paused, setPaused] = useState(false);
  const known = uids.filter((u) => store.index.has(u));
  const series = known.map((uid, i) => {
    const ref = store.index.get(uid);
    const label = ref ? `${ref.device.label} · ${ref.signal.name}` : `signal ${uid}`;
    return { uid, label, unit: ref?.signal.unit ?? '', color: colorAt(i) };
  });
  return (
    <div className="page page-split">
      <div className="split-left narrow">
        <PageHeader title="Live" />
        <SignalPicker selected={known} onChange={onChange} />
      </div>
      <div className="split-right">
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="Time window">
            {WINDOWS.map((w) => (
              <button
                key={w.ms}
                type="button"
                className={w.ms === windowMs ? 'on' : ''}
                aria-pressed={w.ms === windowMs}
                onClick={() => setWindowMs(w.ms)}
              >
                {w.label}
              </button>
            ))}
          </div>
          <button
            type="button"
            className={`btn btn-sm ${paused ? 'btn-primary' : ''}`}
            onClick={() => setPaused(!paused)}
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          {paused && <span className="muted small">Paused: values keep arriving and show on resume.</span>}
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
          <Empty>
            Pick signals on the left (any mix of devices and loads) to plot them live. Each unit gets its own
            axis.
          </Empty>
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
  const store = useStore();
  useValuesTick(500);
  const now = useNow(1000);
  return (
    <table className="table values-table" data-testid="live-table">
      <thead>
        <tr>
          <th />
          <th>Device</th>
          <th>Signal</th>
          <th className="num">Value</th>
          <th>Unit</th>
          <th>Status</th>
          <th className="num">Age</th>
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
                  aria-label="Remove from plot"
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
