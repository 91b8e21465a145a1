import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
/** Frames arriving within this many ms are drawn together: a busy bus sends many small batches. */
const DRAW_EVERY_MS = 250;

const OUTCOMES = [
  { value: 'all', label: 'monitor.filter.all', test: () => true },
  {
    value: 'problems',
    label: 'monitor.filter.problems',
    test: (f) => f.outcome !== null && f.outcome !== 'ok',
  },
  { value: 'ok', label: 'monitor.filter.ok', test: (f) => f.outcome === 'ok' },
  { value: 'timeout', label: 'monitor.filter.timeout', test: (f) => f.outcome === 'timeout' },
  { value: 'exception', label: 'monitor.filter.exception', test: (f) => f.outcome === 'exception' },
  { value: 'crc-error', label: 'monitor.filter.crc', test: (f) => f.outcome === 'crc-error' },
  {
    value: 'other',
    label: 'monitor.filter.other',
    test: (f) => f.outcome === 'garbage' || f.outcome === 'wrong-unit' || f.outcome === 'malformed',
  },
] as const satisfies readonly { value: string; label: string; test: (f: MonitorFrameView) => boolean }[];

/** Locale keys of frame outcomes and bus states. */
const OUTCOME_KEY = {
  ok: 'monitor.outcome.ok',
  timeout: 'monitor.outcome.timeout',
  'crc-error': 'monitor.outcome.crcError',
  exception: 'monitor.outcome.exception',
  'wrong-unit': 'monitor.outcome.wrongUnit',
  garbage: 'monitor.outcome.garbage',
  malformed: 'monitor.outcome.malformed',
  disconnected: 'monitor.outcome.disconnected',
} as const satisfies Record<FrameOutcome, string>;
const BUS_KEY = {
  open: 'monitor.bus.open',
  closed: 'monitor.bus.closed',
  disconnected: 'monitor.bus.disconnected',
} as const satisfies Record<MonitorSnapshot['buses'][number]['state'], string>;

export function outcomeTone(o: FrameOutcome | null): Tone {
  if (o === null) return 'info';
  if (o === 'ok') return 'ok';
  if (o === 'timeout' || o === 'disconnected') return 'warn';
  return 'err';
}

/** Every Modbus frame on every bus, as it happens: what went out, what came back, how long it took. */
export function MonitorPage() {
  const { t } = useTranslation();
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

  // Batches are gathered and drawn at most every DRAW_EVERY_MS: redrawing 400 rows per batch kept the
  // browser busy enough to slow every other page opened after this one.
  const incoming = useRef<MonitorFrameView[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Read by the event handler and the timer, which may run before a render has caught up with a click.
  const pausedNow = useRef(false);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEvent('monitor.frames', (batch) => {
    if (pausedNow.current) {
      setSkipped((n) => n + batch.length);
      return;
    }
    incoming.current.push(...batch);
    timer.current ??= setTimeout(drawIncoming, DRAW_EVERY_MS);
  });
  function drawIncoming(): void {
    clearTimeout(timer.current);
    timer.current = undefined;
    const add = incoming.current;
    incoming.current = [];
    if (add.length) setFrames((cur) => [...cur, ...add].slice(-KEEP));
  }

  const test: (f: MonitorFrameView) => boolean =
    OUTCOMES.find((o) => o.value === outcome)?.test ?? (() => true);
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
  // Up to 400 rows redraw several times a second: each text is looked up once per language, not per row.
  const words = useMemo<Words>(
    () => ({
      tx: t('monitor.tx'),
      rx: t('monitor.rx'),
      outcome: Object.fromEntries(Object.entries(OUTCOME_KEY).map(([k, key]) => [k, t(key)])) as Record<
        FrameOutcome,
        string
      >,
    }),
    [t],
  );
  const devices = new Map<string, string>();
  for (const f of frames) devices.set(String(f.did ?? 'none'), f.device ?? t('monitor.noDevice'));

  return (
    <div className="page">
      <PageHeader title={t('common.nav.monitor')}>
        <label className="inline-field">
          {t('live.device')}
          <select
            value={device}
            onChange={(e) => setDevice(e.target.value)}
            aria-label={t('monitor.byDevice')}
          >
            <option value="all">{t('monitor.allDevices')}</option>
            {[...devices].map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          {t('monitor.show')}
          <select
            value={outcome}
            onChange={(e) => setOutcome(e.target.value)}
            aria-label={t('monitor.byOutcome')}
          >
            {OUTCOMES.map((o) => (
              <option key={o.value} value={o.value}>
                {t(o.label)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={`btn btn-sm ${paused ? 'btn-primary' : ''}`}
          onClick={() => {
            // Frames that arrived before the click are drawn with it: the table stops where it was.
            if (!paused) drawIncoming();
            else setSkipped(0);
            pausedNow.current = !paused;
            setPaused(!paused);
          }}
        >
          {paused ? t('common.resume') : t('common.pause')}
        </button>
      </PageHeader>
      {error && <Notice tone="err">{error}</Notice>}
      {paused && <Notice tone="info">{t('monitor.paused', { count: skipped })}</Notice>}
      <div className="bus-list">
        {snap?.buses.map((b) => (
          <span key={b.bus} className="bus-chip">
            <Badge tone={b.state === 'open' ? 'ok' : b.state === 'closed' ? 'idle' : 'err'}>
              {t(BUS_KEY[b.state])}
            </Badge>
            <span className="mono">{b.bus}</span>
            <span className="muted small">
              {b.framing} · {t('monitor.queue', { n: b.queue })}
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
                <th>{t('common.time.axis')}</th>
                <th>{t('monitor.col.dir')}</th>
                <th>{t('monitor.col.device')}</th>
                <th>{t('monitor.col.function')}</th>
                <th>{t('monitor.col.bytes')}</th>
                <th className="num">{t('monitor.col.ms')}</th>
                <th>{t('monitor.col.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((f) => (
                <FrameRow key={`${f.bus}#${f.seq}`} f={f} words={words} />
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>
            {device !== 'all' || outcome !== 'all' ? t('monitor.noneMatching') : t('monitor.none')}
          </Empty>
        )}
      </div>
      <Section title={t('monitor.stats')}>
        <StatsTable stats={snap?.stats ?? []} />
      </Section>
    </div>
  );
}

interface Words {
  tx: string;
  rx: string;
  outcome: Record<FrameOutcome, string>;
}

/** One frame's row; a frame never changes, so a row already drawn is not drawn again. */
const FrameRow = memo(function FrameRow({ f, words }: { f: MonitorFrameView; words: Words }) {
  return (
    <tr className={`row-${f.dir}`}>
      <td className="num">{formatClock(f.t, true)}</td>
      <td className={`dir dir-${f.dir}`}>{f.dir === 'tx' ? words.tx : f.dir === 'rx' ? words.rx : '—'}</td>
      <td>
        {f.device ?? <span className="muted">{f.bus}</span>} <span className="muted">#{f.unit}</span>
      </td>
      <td>{f.fn}</td>
      <td className="mono hex" title={f.hex}>
        {f.hex.replace(/(..)/g, '$1 ').trim() || '—'}
      </td>
      <td className="num">{f.durationMs === null ? '' : f.durationMs.toFixed(0)}</td>
      <td>
        {f.outcome && <Badge tone={outcomeTone(f.outcome)}>{words.outcome[f.outcome]}</Badge>}
        {f.note && <span className="muted small"> {f.note}</span>}
      </td>
    </tr>
  );
});
