import { randomUUID } from 'node:crypto';
import type {
  Connection,
  Device,
  Load,
  LoadType,
  Protocol,
  Signal,
  SignalDeadband,
  SystemType,
} from '../../src-preload/contract/domain.js';
import type { Db } from './db.js';

export interface NewSignal {
  key: string;
  si: number;
  sir?: number;
  kind: Signal['kind'];
  type: Signal['type'];
  unit: string;
  enable?: boolean;
  source?: Record<string, unknown>;
}

export interface NewLoad {
  label: string;
  index: number;
  type?: LoadType;
  enable?: boolean;
  settings?: Record<string, unknown>;
  signals: NewSignal[];
}

export interface NewDevice {
  label: string;
  protocol: Protocol;
  model: string | null;
  partNumber: string;
  system: SystemType;
  connection: Connection;
  enable?: boolean;
  pollMs?: number;
  loads: NewLoad[];
}

interface DeviceRow {
  uid: number;
  label: string;
  protocol: Protocol;
  model: string | null;
  part_number: string;
  system: SystemType;
  connection: string;
  enable: number;
  poll_ms: number;
}
interface LoadRow {
  uid: number;
  did: number;
  uuid: string;
  label: string;
  enable: number;
  idx: number;
  type: LoadType;
  settings: string;
}
interface SignalRow {
  uid: number;
  lid: number;
  did: number;
  si: number;
  sir: number;
  key: string;
  kind: Signal['kind'];
  type: Signal['type'];
  unit: string;
  enable: number;
  deadband_delta: number | null;
  deadband_gap_s: number | null;
}

const toDevice = (r: DeviceRow): Device => ({
  uid: r.uid,
  label: r.label,
  protocol: r.protocol,
  model: r.model,
  partNumber: r.part_number,
  system: r.system,
  connection: JSON.parse(r.connection) as Connection,
  enable: r.enable === 1,
  pollMs: r.poll_ms,
});
const toLoad = (r: LoadRow): Load => ({
  uid: r.uid,
  did: r.did,
  uuid: r.uuid,
  label: r.label,
  enable: r.enable === 1,
  index: r.idx,
  type: r.type,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
});
const toSignal = (r: SignalRow): Signal => ({
  uid: r.uid,
  lid: r.lid,
  did: r.did,
  si: r.si,
  sir: r.sir,
  key: r.key,
  kind: r.kind,
  type: r.type,
  unit: r.unit,
  enable: r.enable === 1,
  ...(r.deadband_delta !== null && r.deadband_gap_s !== null
    ? { deadband: { delta: r.deadband_delta, maxGapS: r.deadband_gap_s } }
    : {}),
});

export interface DeviceTree extends Device {
  loads: (Load & { signals: Signal[] })[];
}

export class ConfigRepo {
  private readonly nextUid;
  /** Told when a signal's deadband changed (the store points it at the ingest path). */
  onDeadband: ((uid: number, d: SignalDeadband | undefined) => void) | undefined;
  constructor(private readonly db: Db) {
    const ins = db.prepare('INSERT INTO uid_seq (kind, created) VALUES (?, ?)');
    this.nextUid = (kind: 'device' | 'load' | 'signal'): number =>
      Number(ins.run(kind, Date.now()).lastInsertRowid);
  }

  /** Creates a device with its loads and signals atomically: all of it or nothing. */
  addDevice(d: NewDevice): DeviceTree {
    const uid = this.db
      .transaction(() => {
        const did = this.nextUid('device');
        this.db
          .prepare(
            `INSERT INTO devices (uid, label, protocol, model, part_number, system, connection, enable, poll_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            did,
            d.label,
            d.protocol,
            d.model,
            d.partNumber,
            d.system,
            JSON.stringify(d.connection),
            d.enable === false ? 0 : 1,
            d.pollMs ?? 1000,
          );
        for (const l of d.loads) this.insertLoad(did, l);
        return did;
      })
      .immediate();
    return this.deviceTree(uid)!;
  }

  addLoad(did: number, l: NewLoad): Load {
    const uid = this.db.transaction(() => this.insertLoad(did, l)).immediate();
    return this.load(uid)!;
  }

  private insertLoad(did: number, l: NewLoad): number {
    const lid = this.nextUid('load');
    this.db
      .prepare(
        'INSERT INTO loads (uid, did, uuid, label, enable, idx, type, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        lid,
        did,
        randomUUID(),
        l.label,
        l.enable === false ? 0 : 1,
        l.index,
        l.type ?? 0,
        JSON.stringify(l.settings ?? {}),
      );
    const insSignal = this.db.prepare(
      `INSERT INTO signals (uid, lid, did, si, sir, key, kind, type, unit, enable, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of l.signals) {
      insSignal.run(
        this.nextUid('signal'),
        lid,
        did,
        s.si,
        s.sir ?? s.si,
        s.key,
        s.kind,
        s.type,
        s.unit,
        s.enable === false ? 0 : 1,
        JSON.stringify(s.source ?? {}),
      );
    }
    return lid;
  }

  removeDevice(uid: number): boolean {
    return this.db
      .transaction(() => {
        const sigs = this.db.prepare('SELECT uid FROM signals WHERE did = ?').pluck().all(uid) as number[];
        const delRt = this.db.prepare('DELETE FROM realtime WHERE uid = ?');
        for (const s of sigs) delRt.run(s);
        return this.db.prepare('DELETE FROM devices WHERE uid = ?').run(uid).changes > 0;
      })
      .immediate();
  }

  updateDevice(
    uid: number,
    patch: Partial<Pick<Device, 'label' | 'enable' | 'pollMs' | 'connection' | 'system'>>,
  ): Device | undefined {
    const cur = this.device(uid);
    if (!cur) return undefined;
    const next = { ...cur, ...patch };
    this.db
      .prepare(
        'UPDATE devices SET label = ?, enable = ?, poll_ms = ?, connection = ?, system = ? WHERE uid = ?',
      )
      .run(next.label, next.enable ? 1 : 0, next.pollMs, JSON.stringify(next.connection), next.system, uid);
    return this.device(uid);
  }

  updateLoad(
    uid: number,
    patch: Partial<Pick<Load, 'label' | 'enable' | 'type' | 'settings'>>,
  ): Load | undefined {
    const cur = this.load(uid);
    if (!cur) return undefined;
    const next = { ...cur, ...patch };
    this.db
      .prepare('UPDATE loads SET label = ?, enable = ?, type = ?, settings = ? WHERE uid = ?')
      .run(next.label, next.enable ? 1 : 0, next.type, JSON.stringify(next.settings), uid);
    return this.load(uid);
  }

  updateSignal(
    uid: number,
    patch: { enable?: boolean; deadband?: SignalDeadband | null },
  ): Signal | undefined {
    if (patch.enable !== undefined)
      this.db.prepare('UPDATE signals SET enable = ? WHERE uid = ?').run(patch.enable ? 1 : 0, uid);
    if (patch.deadband !== undefined) {
      const d = patch.deadband;
      this.db
        .prepare('UPDATE signals SET deadband_delta = ?, deadband_gap_s = ? WHERE uid = ?')
        .run(d?.delta ?? null, d?.maxGapS ?? null, uid);
    }
    const next = this.signal(uid);
    if (next && patch.deadband !== undefined) this.onDeadband?.(uid, next.deadband);
    return next;
  }

  /** Every signal's deadband that is set (the ingest path's filter, read once at start). */
  deadbands(): Map<number, SignalDeadband> {
    const rows = this.db
      .prepare(
        'SELECT uid, deadband_delta AS delta, deadband_gap_s AS maxGapS FROM signals WHERE deadband_delta IS NOT NULL AND deadband_gap_s IS NOT NULL',
      )
      .all() as ({ uid: number } & SignalDeadband)[];
    return new Map(rows.map((r) => [r.uid, { delta: r.delta, maxGapS: r.maxGapS }]));
  }

  devices(filter?: { uids?: number[]; protocol?: Protocol }): Device[] {
    let rows = this.db.prepare('SELECT * FROM devices ORDER BY uid').all() as DeviceRow[];
    if (filter?.uids) {
      const set = new Set(filter.uids);
      rows = rows.filter((r) => set.has(r.uid));
    }
    if (filter?.protocol) rows = rows.filter((r) => r.protocol === filter.protocol);
    return rows.map(toDevice);
  }

  device(uid: number): Device | undefined {
    const r = this.db.prepare('SELECT * FROM devices WHERE uid = ?').get(uid) as DeviceRow | undefined;
    return r && toDevice(r);
  }

  loads(filter?: { uids?: number[]; protocol?: Protocol; did?: number }): Load[] {
    let sql = 'SELECT l.* FROM loads l JOIN devices d ON d.uid = l.did';
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter?.protocol) {
      where.push('d.protocol = ?');
      args.push(filter.protocol);
    }
    if (filter?.did !== undefined) {
      where.push('l.did = ?');
      args.push(filter.did);
    }
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
    let rows = this.db.prepare(`${sql} ORDER BY l.uid`).all(...args) as LoadRow[];
    if (filter?.uids) {
      const set = new Set(filter.uids);
      rows = rows.filter((r) => set.has(r.uid));
    }
    return rows.map(toLoad);
  }

  load(uid: number): Load | undefined {
    const r = this.db.prepare('SELECT * FROM loads WHERE uid = ?').get(uid) as LoadRow | undefined;
    return r && toLoad(r);
  }

  loadByUuid(uuid: string): Load | undefined {
    const r = this.db.prepare('SELECT * FROM loads WHERE uuid = ?').get(uuid) as LoadRow | undefined;
    return r && toLoad(r);
  }

  signals(filter?: { uids?: number[]; lid?: number; did?: number }): Signal[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter?.lid !== undefined) {
      where.push('lid = ?');
      args.push(filter.lid);
    }
    if (filter?.did !== undefined) {
      where.push('did = ?');
      args.push(filter.did);
    }
    const sql = `SELECT * FROM signals${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY uid`;
    let rows = this.db.prepare(sql).all(...args) as SignalRow[];
    if (filter?.uids) {
      const set = new Set(filter.uids);
      rows = rows.filter((r) => set.has(r.uid));
    }
    return rows.map(toSignal);
  }

  signal(uid: number): Signal | undefined {
    const r = this.db.prepare('SELECT * FROM signals WHERE uid = ?').get(uid) as SignalRow | undefined;
    return r && toSignal(r);
  }

  /** The source descriptor a driver stored with a signal (e.g. the model signal key). */
  signalSource(uid: number): Record<string, unknown> {
    const s = this.db.prepare('SELECT source FROM signals WHERE uid = ?').pluck().get(uid) as
      string | undefined;
    return s ? (JSON.parse(s) as Record<string, unknown>) : {};
  }

  deviceTree(uid: number): DeviceTree | undefined {
    const d = this.device(uid);
    if (!d) return undefined;
    const signals = this.signals({ did: uid });
    return {
      ...d,
      loads: this.loads({ did: uid }).map((l) => ({ ...l, signals: signals.filter((s) => s.lid === l.uid) })),
    };
  }

  tree(): DeviceTree[] {
    return this.devices().map((d) => this.deviceTree(d.uid)!);
  }

  isEmpty(): boolean {
    return this.db.prepare('SELECT count(*) FROM devices').pluck().get() === 0;
  }
}
