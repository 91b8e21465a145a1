import { sysfsPorts, type RawPort } from './sysfs-ports.js';

export interface PortInfo {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  pnpId: string | null;
  /** Chip family when the USB ids belong to a common USB-serial bridge used in RS485 adapters. */
  chip: string | null;
  rs485Likely: boolean;
}

/** USB vendor:product ids of the bridges found in USB-RS485 adapters. */
const BRIDGES: Record<string, string> = {
  '0403:6001': 'FTDI FT232R',
  '0403:6010': 'FTDI FT2232',
  '0403:6011': 'FTDI FT4232',
  '0403:6014': 'FTDI FT232H',
  '0403:6015': 'FTDI FT-X',
  '1a86:7523': 'CH340',
  '1a86:5523': 'CH341',
  '1a86:55d4': 'CH9102',
  '10c4:ea60': 'CP210x',
  '10c4:ea70': 'CP2105',
  '067b:2303': 'PL2303',
  '0483:5740': 'STM32 CDC',
};

/** Vendors whose every USB-serial product is a bridge chip family, for product ids not listed above. */
const BRIDGE_VENDORS: Record<string, string> = {
  '0403': 'FTDI',
  '1a86': 'WCH CH34x',
  '10c4': 'Silicon Labs CP210x',
  '067b': 'Prolific PL2303',
  '110a': 'Moxa UPort',
};

/** Normalises "0x0403", "0403" and "403" (Windows/macOS/Linux spellings) to 4 lower-case hex digits. */
function usbId(id: string | undefined): string {
  return (id ?? '').trim().toLowerCase().replace(/^0x/, '').padStart(4, '0');
}

export function classifyPort(p: { vendorId?: string; productId?: string; manufacturer?: string }): {
  chip: string | null;
  rs485Likely: boolean;
} {
  const vendor = p.vendorId ? usbId(p.vendorId) : '';
  const chip = BRIDGES[`${vendor}:${usbId(p.productId)}`] ?? BRIDGE_VENDORS[vendor] ?? null;
  const byName = /ftdi|wch|silicon labs|prolific|moxa|rs-?485/i.test(p.manufacturer ?? '');
  return { chip: chip ?? (byName ? (p.manufacturer ?? null) : null), rs485Likely: chip !== null || byName };
}

/** serialport's list; on Linux without `udevadm` (spawn fails with ENOENT) the same ports from sysfs. */
async function rawPorts(): Promise<RawPort[]> {
  const { SerialPort } = await import('serialport');
  try {
    return await SerialPort.list();
  } catch (e) {
    if (process.platform === 'linux' && (e as NodeJS.ErrnoException).code === 'ENOENT') return sysfsPorts();
    throw e;
  }
}

export async function listPorts(): Promise<PortInfo[]> {
  const list = await rawPorts();
  return list.map((p) => ({
    path: p.path,
    manufacturer: p.manufacturer ?? null,
    serialNumber: p.serialNumber ?? null,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
    pnpId: p.pnpId ?? null,
    ...classifyPort(p),
  }));
}
