import { Value } from '@sinclair/typebox/value';
import type { Device, RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import {
  SITE_FILE_FORMAT,
  SITE_FILE_VERSION,
  SiteFileSchema,
  SiteSchema,
  type PlannedBus,
  type PlannedDevice,
  type Site,
  type SiteFile,
  type SiteRole,
} from '../../src-preload/contract/site.js';
import { ConfigValueError, validateValues } from '../commissioning/config-values.js';
import type { DeviceLibrary } from '../devices/library.js';

/** A site document or file that is not valid: `path` is the JSON pointer of the first wrong field. */
export class SiteFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '/'}: ${reason}`);
    this.name = 'SiteFileError';
  }
}

export const CT_RATIO_KEY = 'ct_ratio';

/** "serial:/dev/ttyUSB0", "tcp:10.0.0.5:502", "mbus:/dev/ttyUSB1", "p1:/dev/ttyUSB2": one key per line. */
export function busKey(bus: PlannedBus): string {
  switch (bus.kind) {
    case 'serial':
      return `serial:${bus.port}`;
    case 'tcp':
      return `tcp:${bus.host}:${bus.port}`;
    case 'mbus':
      return `mbus:${bus.port}`;
    case 'p1':
      return `p1:${bus.port}`;
  }
}

/** Load type of a role: the grid meter measures both directions, production feeds in. */
export function loadTypeOfRole(role: SiteRole): 0 | 1 | 2 {
  return role === 'grid' ? 2 : role === 'production' ? 1 : 0;
}

/** Every setting the plan asks of a Modbus meter: its settings, the CT ratio and the wiring system. */
export function plannedSettings(d: PlannedDevice, library: DeviceLibrary): Record<string, number> {
  const out: Record<string, number> = { ...d.settings };
  if (d.ctRatio !== undefined) out[CT_RATIO_KEY] = d.ctRatio;
  const model = library.get(d.model);
  if (d.system && model) {
    const reg = model.config?.find((c) => c.key === 'system_type');
    const choice = reg?.choices?.find((c) => c.label.split(/\s+/)[0] === d.system);
    if (choice) out.system_type = choice.value;
  }
  return out;
}

function first(schema: typeof SiteFileSchema | typeof SiteSchema, data: unknown): SiteFileError | undefined {
  const e = Value.Errors(schema, data).First();
  return e ? new SiteFileError(e.path, e.message) : undefined;
}

/** Checks what the schema cannot: known models, addresses that fit the bus, settings the model has. */
function checkDevices(devices: readonly PlannedDevice[], library: DeviceLibrary): void {
  const seen = new Map<string, string>();
  devices.forEach((d, i) => {
    const at = `/devices/${i}`;
    const modbus = d.bus.kind === 'serial' || d.bus.kind === 'tcp';
    if (modbus) {
      const model = library.get(d.model);
      if (!model)
        throw new SiteFileError(
          `${at}/model`,
          `"${d.model}" is not in the device library (${library.all.map((m) => m.id).join(', ')})`,
        );
      if (d.unit === undefined && d.serialNumber === undefined)
        throw new SiteFileError(
          `${at}/unit`,
          'a Modbus device needs a unit id (or a serial number to match)',
        );
      if (d.unit !== undefined && d.bus.kind === 'serial' && (d.unit < 1 || d.unit > 247))
        throw new SiteFileError(`${at}/unit`, `an RTU unit id is 1..247, got ${d.unit}`);
      if (d.system && !model.systems.includes(d.system))
        throw new SiteFileError(`${at}/system`, `the ${model.name} measures ${model.systems.join(', ')}`);
      if (d.ctRatio !== undefined && !model.config?.some((c) => c.key === CT_RATIO_KEY))
        throw new SiteFileError(`${at}/ctRatio`, `the ${model.name} has no CT ratio setting`);
      if (d.mbusAddress !== undefined)
        throw new SiteFileError(`${at}/mbusAddress`, 'an M-Bus address on a Modbus bus');
      const settings = plannedSettings(d, library);
      if (Object.keys(settings).length) {
        try {
          validateValues(model, settings);
        } catch (e) {
          if (!(e instanceof ConfigValueError)) throw e;
          const p = e.problems[0]!;
          const field =
            p.key === CT_RATIO_KEY && d.ctRatio !== undefined
              ? 'ctRatio'
              : p.key in (d.settings ?? {})
                ? `settings/${p.key}`
                : 'settings';
          throw new SiteFileError(`${at}/${field}`, p.message);
        }
      }
    } else {
      const expected = d.bus.kind === 'mbus' ? 'meterBus' : 'P1';
      if (d.model !== expected)
        throw new SiteFileError(`${at}/model`, `a device on a ${d.bus.kind} bus has the model "${expected}"`);
      if (d.unit !== undefined) throw new SiteFileError(`${at}/unit`, `a unit id on a ${d.bus.kind} bus`);
      if (d.bus.kind === 'mbus' && d.mbusAddress === undefined && d.serialNumber === undefined)
        throw new SiteFileError(
          `${at}/mbusAddress`,
          'an M-Bus device needs its primary or secondary address',
        );
      if (d.ctRatio !== undefined || d.settings !== undefined)
        throw new SiteFileError(`${at}/settings`, `settings are written to Modbus meters only`);
    }
    const addr =
      d.unit !== undefined ? `unit ${d.unit}` : d.mbusAddress !== undefined ? `address ${d.mbusAddress}` : '';
    if (addr || d.bus.kind === 'p1') {
      const key = `${busKey(d.bus)} ${addr}`;
      const other = seen.get(key);
      if (other)
        throw new SiteFileError(
          `${at}/${d.unit !== undefined ? 'unit' : d.mbusAddress !== undefined ? 'mbusAddress' : 'bus'}`,
          `${addr || 'this port'} on ${busKey(d.bus)} is already planned for "${other}"`,
        );
      seen.set(key, d.label);
    }
  });
}

/** Validates a site document (the store's, or one edited in the UI). Throws SiteFileError. */
export function checkSite(data: unknown, library: DeviceLibrary): Site {
  const err = first(SiteSchema, data);
  if (err) throw err;
  const site = data as Site;
  checkDevices(site.devices, library);
  return site;
}

/** Parses and validates a site file's text; nothing is returned (or stored) unless all of it is right. */
export function parseSiteFile(text: string, library: DeviceLibrary): Site {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SiteFileError('', `not JSON: ${(e as Error).message}`);
  }
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const o = data as Record<string, unknown>;
    if (o.format !== SITE_FILE_FORMAT)
      throw new SiteFileError('/format', `expected "${SITE_FILE_FORMAT}": this is not a site file`);
    if (typeof o.version === 'number' && o.version > SITE_FILE_VERSION)
      throw new SiteFileError(
        '/version',
        `version ${o.version} is newer than this app reads (${SITE_FILE_VERSION}); update the app`,
      );
  }
  const err = first(SiteFileSchema, data);
  if (err) throw err;
  const file = data as SiteFile;
  checkDevices(file.devices, library);
  return { site: file.site, devices: file.devices };
}

export function toSiteFile(site: Site, now = new Date()): SiteFile {
  return {
    format: SITE_FILE_FORMAT,
    version: SITE_FILE_VERSION,
    exportedAt: now.toISOString(),
    site: site.site,
    devices: site.devices,
  };
}

const ROLE_OF_LOAD: Record<number, SiteRole> = { 0: 'consumption', 1: 'production', 2: 'grid' };

/** A planned device for what is configured now, so a site can be started from a working setup. */
export function plannedFromDevice(
  d: Device,
  loadType: number,
  meterSettings: Readonly<Record<string, unknown>>,
): PlannedDevice | undefined {
  const role = ROLE_OF_LOAD[loadType] ?? 'consumption';
  if (d.protocol === 'rtu' || d.protocol === 'tcp') {
    const c = d.connection as RtuConnection | TcpConnection;
    const bus: PlannedBus =
      'host' in c
        ? { kind: 'tcp', host: c.host, port: c.port, ...(c.rtuOverTcp ? { rtuOverTcp: true } : {}) }
        : { kind: 'serial', port: c.port, baud: c.baud, parity: c.parity, stopBits: c.stopBits };
    const ct = meterSettings[CT_RATIO_KEY];
    return {
      label: d.label,
      model: c.model,
      bus,
      unit: c.unit,
      role,
      system: d.system,
      ...(typeof ct === 'number' ? { ctRatio: ct } : {}),
    };
  }
  if (d.protocol === 'meterBus') {
    const c = d.connection as { port: string; baud: number; primary?: number; secondary?: string };
    return {
      label: d.label,
      model: 'meterBus',
      bus: { kind: 'mbus', port: c.port, baud: c.baud },
      mbusAddress: c.primary ?? c.secondary ?? 0,
      role,
    };
  }
  if (d.protocol === 'P1')
    return {
      label: d.label,
      model: 'P1',
      bus: { kind: 'p1', port: (d.connection as { port: string }).port },
      role: 'grid',
    };
  return undefined;
}
