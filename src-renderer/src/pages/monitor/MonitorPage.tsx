import { useEffect, useState } from 'react';
import type {
  FrameOutcome,
  MonitorFrameView,
  MonitorSnapshot,
} from '../../../../src-preload/contract/index.js';
import { call, useApi, useEvent } from '../../api/api.js';
import { formatClock } from '../../components/format.js';
import { Badge, Empty, Notice, PageHeader, Section, type Tone } from '../../components/ui.js';
import { StatsTable } from './StatsTable.js';

const KEEP = 3000;
const SHOW = 400;

const OUTCOMES: { value: string; label: string; test: (f: MonitorFrameView) => boolean }[] = [
  { value: 'all', label: 'All frames', test: () => true },
  { value: 'problems', label: 'Problems only', test: (f) => f.outcome !== null && f.outcome !== 'ok' },
  { value: 'ok', label: 'OK replies', test: (f) => f.outcome === 'ok' },
  { value: 'timeout', label: 'Timeouts', test: (f) => f.outcome === 'timeout' },
  { value: 'exception', label: 'Exceptions', test: (f) => f.outcome === 'exception' },
  { value: 'crc-error', label: 'CRC errors', test: (f) => f.outcome === 'crc-error' },
  {
    value: 'other',
    label: 'Garbage / wrong unit',
    test: (f) => f.outcome === 'garbage' || f.outcome === 'wrong-unit' || f.outcome === 'malformed',
  },
];

export function outcomeTone(o: FrameOutcome | null): Tone {
  if (o === null) return 'info';
  if (o === 'ok') return 'ok';
  if (o === 'timeout' || o === 'disconnected') return 'warn';
  return 'err';
}

/** Every Modbus frame on every bus, as it happens: what went out, what came back, how long it took. */
export function MonitorPage() {
  const api = useApi();
  const [frames, setFrames] = useState<MonitorFrameView[]>([]);
  const [snap, setSnap] = useState<MonitorSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [skipped, setSkipped] = useState(0);
  const [device, setDevice] = useState('all');
  const [outcome, setOutcome] = useState('all');

  // Frames as they were when the page opened, then the statistics every 2 s.
  useEffect(() => {
    let live = true;
    const fail = (e: unknown): void => {
      if (live) setError((e as Error).message);
    };
    call(api, 'monitor.snapshot', { limit: KEEP }).then((s) => {
      if (!live) return;
      setSnap(s);
      setFrames((cur) => [...s.frames, ...cur.filter((f) => f.t > (s.frames.at(-1)?.t ?? 0))].slice(-KEEP));
      setError(null);
    }, fail);
    const id = setInterval(() => {
      call(api, 'monitor.snapshot', { limit: 1 }).then((s) => live && setSnap(s), fail);
    }, 2000);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [api]);

  useEvent('monitor.frames', (batch) => {
    if (paused) {
      setSkipped((n) => n + batch.length);
      return;
    }
    setFrames((cur) => [...cur, ...batch].slice(-KEEP));
  });

  const test = OUTCOMES.find((o) => o.value === outcome)?.test ?? (() => true);
  const visible: MonitorFrameView[] = [];
  for (let i = frames.length - 1; i >= 0 && visible.length < SHOW; i--) {
    const f = frames[i];
    if (!f) continue;
    if (device !== 'all' && String(f.did ?? 'none') !== device) continue;
    if (!test(f)) continue;
    visible.push(f);
  }
  // Batches arrive per bus: newest first across all buses.
  visible.sort((a, b) => b.t - a.t || b.seq - a.seq);
  const devices = new Map<string, string>();
  for (const f of frames) devices.set(String(f.did ?? 'none'), f.device ?? 'No configured device');

  return (
    <div className="page">
      <PageHeader title="Bus monitor">
        <label className="inline-field">
          Device
          <select value={device} onChange={(e) => setDevice(e.target.value)} aria-label="Filter by device">
            <option value="all">All devices</option>
            {[...devices].map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Show
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)} aria-label="Filter by outcome">
            {OUTCOMES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={`btn btn-sm ${paused ? 'btn-primary' : ''}`}
          onClick={() => {
            if (paused) setSkipped(0);
            setPaused(!paused);
          }}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
      </PageHeader>
      {error && <Notice tone="err">{error}</Notice>}
      {paused && (
        <Notice tone="info">
          Paused. {skipped} frames arrived meanwhile; the table shows them no more than the ring keeps.
        </Notice>
      )}
      <div className="bus-list">
        {snap?.buses.map((b) => (
          <span key={b.bus} className="bus-chip">
            <Badge tone={b.state === 'open' ? 'ok' : b.state === 'closed' ? 'idle' : 'err'}>{b.state}</Badge>
            <span className="mono">{b.bus}</span>
            <span className="muted small">
              {b.framing} · queue {b.queue}
              {b.lastError ? ` · ${b.lastError}` : ''}
            </span>
          </span>
        ))}
      </div>
      <div className="frames-scroll">
        {visible.length ? (
          <table className="table frames" data-testid="frames">
            <thead>
              <tr>
                <th>Time</th>
                <th>Dir</th>
                <th>Device / unit</th>
                <th>Function</th>
                <th>Bytes (hex)</th>
                <th className="num">ms</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((f) => (
                <tr key={`${f.bus}#${f.seq}`} className={`row-${f.dir}`}>
                  <td className="num">{formatClock(f.t, true)}</td>
                  <td className={`dir dir-${f.dir}`}>
                    {f.dir === 'tx' ? 'TX →' : f.dir === 'rx' ? '← RX' : '—'}
                  </td>
                  <td>
                    {f.device ?? <span className="muted">{f.bus}</span>}{' '}
                    <span className="muted">#{f.unit}</span>
                  </td>
                  <td>{f.fn}</td>
                  <td className="mono hex" title={f.hex}>
                    {f.hex.replace(/(..)/g, '$1 ').trim() || '—'}
                  </td>
                  <td className="num">{f.durationMs === null ? '' : f.durationMs.toFixed(0)}</td>
                  <td>
                    {f.outcome && <Badge tone={outcomeTone(f.outcome)}>{f.outcome}</Badge>}
                    {f.note && <span className="muted small"> {f.note}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>
            No frames yet{device !== 'all' || outcome !== 'all' ? ' that match the filter' : ''}. Frames
            appear as soon as a device is polled or a scan runs.
          </Empty>
        )}
      </div>
      <Section title="Statistics per device">
        <StatsTable stats={snap?.stats ?? []} />
      </Section>
    </div>
  );
}
