import type {
  DeviceStatus,
  EmsApi,
  EngineInfo,
  ModelSummary,
  SampleBatch,
  TreeDevice,
  TreeLoad,
  TreeSignal,
} from '../../../src-preload/contract/index.js';
import { i18n } from '../i18n/index.js';
import { LiveBuffers } from './ring.js';

export interface Latest {
  v: number | string | null;
  t: number;
  s: number;
}

export interface SignalRef {
  signal: TreeSignal;
  load: TreeLoad;
  device: TreeDevice;
}

/**
 * What every page shares: the configuration tree, device states, the latest value of each signal and
 * the live ring buffers. Fed by the engine's batched events; React reads it with useSyncExternalStore.
 */
export class EngineStore {
  info: EngineInfo | null = null;
  models = new Map<string, ModelSummary>();
  tree: TreeDevice[] = [];
  index = new Map<number, SignalRef>();
  status = new Map<number, DeviceStatus>();
  latest = new Map<number, Latest>();
  readonly buffers = new LiveBuffers();
  error: string | null = null;
  /** Bumped when tree, info or device states change. */
  version = 0;
  /** Bumped on every sample batch. */
  valuesVersion = 0;
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];

  constructor(readonly api: EmsApi) {}

  start(): void {
    this.offs.push(
      this.api.on('samples', (b) => this.onSamples(b)),
      this.api.on('status', (list) => {
        for (const s of list) this.status.set(s.uid, s);
        this.bump();
      }),
      this.api.on('config.changed', () => void this.refresh()),
    );
    void this.refresh();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  async refresh(): Promise<void> {
    const [info, tree, status, rt] = await Promise.all([
      this.api.invoke('engine.info'),
      this.api.invoke('config.tree'),
      this.api.invoke('device.status'),
      this.api.invoke('realtime.get'),
    ]);
    this.error =
      [info, tree, status, rt].find((r) => !r.ok)?.ok === false
        ? i18n.t('common.shell.engineIncomplete')
        : null;
    if (info.ok) this.info = info.data;
    if (tree.ok) this.setTree(tree.data);
    if (status.ok) {
      this.status = new Map(status.data.map((s) => [s.uid, s]));
    }
    if (!this.models.size) {
      const m = await this.api.invoke('config.models');
      if (m.ok) this.models = new Map(m.data.map((x) => [x.id, x]));
    }
    if (rt.ok)
      for (const r of rt.data)
        if (!this.latest.has(r.uid) || (this.latest.get(r.uid)?.t ?? 0) < r.t)
          this.latest.set(r.uid, { v: r.v, t: r.t, s: r.s });
    this.bump();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;
  getValuesVersion = (): number => this.valuesVersion;

  private setTree(tree: TreeDevice[]): void {
    this.tree = tree;
    this.index = new Map();
    for (const device of tree)
      for (const load of device.loads)
        for (const signal of load.signals) this.index.set(signal.uid, { signal, load, device });
  }

  private onSamples(b: SampleBatch): void {
    for (let i = 0; i < b.uid.length; i++) {
      const uid = b.uid[i] ?? 0;
      this.latest.set(uid, { v: b.v[i] ?? null, t: b.t[i] ?? 0, s: b.s[i] ?? 0 });
    }
    this.buffers.ingest(b);
    this.valuesVersion++;
    for (const l of this.listeners) l();
  }

  private bump(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
