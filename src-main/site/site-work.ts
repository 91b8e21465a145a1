import type { RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import type { PlannedBus, PlannedDevice } from '../../src-preload/contract/site.js';
import { lineKey, type BusRegistry, type LineSpec } from '../bus/bus-registry.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import { lineOf, type Commissioning, type DeviceCheckReport } from '../commissioning/service.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import { deviceFromModel } from '../devices/instantiate.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { MbusLineFound } from '../discovery/mbus-line-scan.js';
import type { FoundDevice } from '../discovery/scan-types.js';
import type { DeviceTree, NewDevice } from '../store/config-repo.js';
import type { Store } from '../store/store.js';
import { healthSince, snapshot, type BusHealth } from './bus-health.js';
import { matchPlan, type PlanCheck, type WireDevice } from './plan-match.js';
import { busKey, loadTypeOfRole, plannedSettings } from './site-file.js';
import type { SitePlan } from './site-service.js';
import { lineOfFound, probeUnit, wireFromFound } from './wire-probe.js';
import { writePlan, type WritePlanReport } from './write-plan.js';

export interface SiteDeps {
  store: Store;
  library: DeviceLibrary;
  catalogue: SignalCatalogue;
  buses: BusRegistry;
  plan: SitePlan;
  commissioning: Commissioning;
  addDevice(d: NewDevice): DeviceTree;
}

/** What a plan check looks at besides the planned and configured addresses. */
export interface PlanCheckInput {
  /** Modbus devices a scan found (RTU or TCP). */
  scan?: readonly FoundDevice[];
  /** Meters an M-Bus scan found on a port. */
  mbus?: readonly { port: string; found: readonly MbusLineFound[] }[];
}

export type SiteResultKind =
  'plan-check' | 'write-plan' | 'load-step' | 'p1-check' | 'bus-health' | 'wiring-check';

export function lineOfPlanned(bus: PlannedBus): LineSpec | undefined {
  if (bus.kind === 'serial')
    return { kind: 'serial', path: bus.port, baud: bus.baud, parity: bus.parity, stopBits: bus.stopBits };
  if (bus.kind === 'tcp') return { kind: 'tcp', host: bus.host, port: bus.port, rtuOverTcp: bus.rtuOverTcp };
  return undefined;
}

/**
 * Commissioning a site against its plan with the engine's calls: probing the wire, writing the plan's
 * settings, and (in later files) load steps, the P1 cross-check, baseline and drift. Every step's
 * outcome and the bus statistics it caused are kept in the store for the report.
 */
export class SiteWork {
  constructor(readonly d: SiteDeps) {}

  record(kind: SiteResultKind, ok: boolean, doc: unknown, did: number | null = null): void {
    this.d.store.site.addResult({ kind, did, ok, doc: JSON.stringify(doc) });
  }

  /** Runs `fn` on a line's bus (shared with the poller) and keeps the bus statistics it caused. */
  async withBus<T>(line: LineSpec, fn: (bus: ModbusBus) => Promise<T>): Promise<T> {
    const bus = this.d.buses.acquire(line);
    const before = snapshot(bus.monitor.stats);
    try {
      return await fn(bus);
    } finally {
      const health: BusHealth[] = healthSince(lineKey(line), before, bus.monitor.stats);
      if (health.length)
        this.record(
          'bus-health',
          health.every((h) => h.errors === 0),
          health,
        );
      await this.d.buses.release(bus);
    }
  }

  /** Each planned device against the wire: the planned and configured addresses are probed, scans added. */
  async checkPlan(input: PlanCheckInput = {}): Promise<PlanCheck> {
    const site = this.d.plan.require();
    const wire: WireDevice[] = [];
    const notes: string[] = [];
    const seen = (key: string, unit: number): boolean => wire.some((w) => w.bus === key && w.unit === unit);
    const byLine = new Map<string, { line: LineSpec; units: Map<number, string | undefined> }>();
    const want = (line: LineSpec, unit: number, model?: string): void => {
      const key = lineKey(line);
      const e = byLine.get(key) ?? { line, units: new Map() };
      if (!e.units.has(unit)) e.units.set(unit, model);
      byLine.set(key, e);
    };
    // 1. What a scan found, with the settings read from it now.
    const scanLines = new Map<string, { line: LineSpec; found: FoundDevice[] }>();
    for (const f of input.scan ?? []) {
      const line = lineOfFound(f.connection);
      const e = scanLines.get(lineKey(line)) ?? { line, found: [] };
      e.found.push(f);
      scanLines.set(lineKey(line), e);
    }
    for (const [key, { line, found }] of scanLines)
      await this.onLine(line, notes, async (bus) => {
        for (const f of found) wire.push(await wireFromFound(f, key, bus, this.d.library));
      });
    // 2. Every planned Modbus address, and every configured one, not seen by the scan.
    for (const p of site.devices) {
      const line = lineOfPlanned(p.bus);
      if (line && p.unit !== undefined && !seen(lineKey(line), p.unit)) want(line, p.unit, p.model);
    }
    for (const dev of this.d.store.config.devices()) {
      if (dev.protocol !== 'rtu' && dev.protocol !== 'tcp') continue;
      const c = dev.connection as RtuConnection | TcpConnection;
      const line = lineOf(c);
      if (!seen(lineKey(line), c.unit)) want(line, c.unit, c.model);
    }
    for (const [key, { line, units }] of byLine)
      await this.onLine(line, notes, async (bus) => {
        for (const [unit, model] of units) {
          const w = await probeUnit(
            bus,
            key,
            unit,
            this.d.library,
            model ? this.d.library.get(model) : undefined,
          );
          if (w) wire.push(w);
        }
      });
    // 3. M-Bus scans, and the configured P1 and M-Bus meters (listed from the configuration).
    for (const { port, found } of input.mbus ?? [])
      for (const m of found)
        wire.push({
          bus: `mbus:${port}`,
          ...(m.primaryAddress !== undefined ? { mbusAddress: m.primaryAddress } : {}),
          kind: 'meter',
          model: 'meterBus',
          ...(m.secondaryAddress ? { serialNumber: m.secondaryAddress } : {}),
          settings: {},
          source: 'scan',
        });
    for (const dev of this.d.store.config.devices()) {
      if (dev.protocol === 'P1') {
        const key = `p1:${(dev.connection as { port: string }).port}`;
        if (!wire.some((w) => w.bus === key))
          wire.push({ bus: key, kind: 'meter', model: 'P1', settings: {}, source: 'configured' });
      } else if (dev.protocol === 'meterBus') {
        const c = dev.connection as { port: string; primary?: number; secondary?: string };
        const key = `mbus:${c.port}`;
        const addr = c.primary ?? c.secondary;
        if (!wire.some((w) => w.bus === key && String(w.mbusAddress) === String(addr)))
          wire.push({
            bus: key,
            mbusAddress: addr,
            kind: 'meter',
            model: 'meterBus',
            settings: {},
            source: 'configured',
          });
      }
    }
    for (const w of wire) w.uid = this.configuredAt(w.bus, w.unit)?.uid ?? w.uid;
    const check: PlanCheck = { ...matchPlan(site, wire, this.d.library), notes };
    this.record('plan-check', check.ok, check);
    return check;
  }

  /** Writes the plan's settings to every matching meter and adds the found meters (one job). */
  async writePlan(who: string): Promise<WritePlanReport> {
    const check = await this.checkPlan();
    const report = await writePlan(this, check, who);
    this.record('write-plan', report.ok, report);
    return report;
  }

  /**
   * The wiring check of every enabled, configured Modbus meter (or of `uids`), each kept for the report
   * with the values it read (the report's snapshot of the main values). A meter that cannot be reached
   * is a failed check with the reason, not a stop.
   */
  async checkWiring(uids?: readonly number[]): Promise<DeviceCheckReport[]> {
    const devices = this.d.store.config
      .devices()
      .filter((d) => (d.protocol === 'rtu' || d.protocol === 'tcp') && d.enable)
      .filter((d) => !uids || uids.includes(d.uid));
    const out: DeviceCheckReport[] = [];
    for (const dev of devices) {
      const line = lineOf(dev.connection as RtuConnection | TcpConnection);
      let r: DeviceCheckReport;
      try {
        r = await this.withBus(line, () => this.d.commissioning.checkDevice(dev.uid));
      } catch (e) {
        r = {
          uid: dev.uid,
          ok: false,
          answered: false,
          summary: `${dev.label}: ${(e as Error).message}`,
          findings: [],
          values: {},
          unsupported: [],
          meterSystem: null,
          durationMs: 0,
        };
      }
      this.record('wiring-check', r.ok, r, dev.uid);
      out.push(r);
    }
    return out;
  }

  /** The configured Modbus device at a bus key and unit. */
  configuredAt(key: string, unit: number | undefined): DeviceTree | undefined {
    if (unit === undefined) return undefined;
    const dev = this.d.store.config.devices().find((x) => {
      if (x.protocol !== 'rtu' && x.protocol !== 'tcp') return false;
      const c = x.connection as RtuConnection | TcpConnection;
      return c.unit === unit && lineKey(lineOf(c)) === key;
    });
    return dev ? this.d.store.config.tree().find((t) => t.uid === dev.uid) : undefined;
  }

  /** Adds a planned device that was found on the wire, or brings a configured one in line with the plan. */
  ensureConfigured(p: PlannedDevice, w: WireDevice): { tree: DeviceTree; added: boolean } {
    const loadType = loadTypeOfRole(p.role);
    const existing = this.configuredAt(busKey(p.bus), w.unit);
    if (existing) {
      if (existing.label !== p.label) this.d.store.config.updateDevice(existing.uid, { label: p.label });
      for (const l of existing.loads)
        if (l.type !== loadType) this.d.store.config.updateLoad(l.uid, { type: loadType });
      return { tree: this.configuredAt(busKey(p.bus), w.unit) ?? existing, added: false };
    }
    const model = this.d.library.require(p.model);
    const connection: RtuConnection | TcpConnection =
      p.bus.kind === 'tcp'
        ? {
            host: p.bus.host,
            port: p.bus.port,
            unit: w.unit ?? 1,
            model: model.id,
            ...(p.bus.rtuOverTcp ? { rtuOverTcp: true } : {}),
          }
        : p.bus.kind === 'serial'
          ? {
              port: p.bus.port,
              baud: p.bus.baud,
              parity: p.bus.parity,
              stopBits: p.bus.stopBits,
              unit: w.unit ?? 1,
              model: model.id,
            }
          : (() => {
              throw new Error(`${p.label}: only Modbus meters are added from the plan`);
            })();
    const d = deviceFromModel(model, connection, this.d.catalogue, {
      label: p.label,
      partNumber: w.partNumber,
      system: p.system ?? w.system,
    });
    const tree = this.d.addDevice({
      ...d,
      loads: d.loads.map((l) => ({ ...l, label: p.label, type: loadType })),
    });
    return { tree, added: true };
  }

  plannedSettings(p: PlannedDevice): Record<string, number> {
    return plannedSettings(p, this.d.library);
  }

  private async onLine(
    line: LineSpec,
    notes: string[],
    fn: (bus: ModbusBus) => Promise<void>,
  ): Promise<void> {
    try {
      await this.withBus(line, fn);
    } catch (e) {
      // One line that cannot be opened (unplugged adapter) leaves its devices missing, not the check failed.
      notes.push(`${lineKey(line)}: ${(e as Error).message}`);
    }
  }
}
