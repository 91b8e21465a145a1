import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RawPort {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
}

/** The tty names serialport's Linux lister reports (real serial hardware, not virtual consoles). */
const SERIAL_TTY = /^(ttyS|ttyUSB|ttyACM|ttyAMA|ttyWCH|ttyMFD|ttyO|ttyXRUSB|rfcomm)\d*/;

const read = (file: string): string | undefined =>
  existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;

/**
 * Linux serial ports straight from sysfs. serialport lists through `udevadm`, which minimal systems
 * and containers lack; without this the port list failed there instead of showing the ports.
 */
export function sysfsPorts(root = '/sys/class/tty'): RawPort[] {
  if (!existsSync(root)) return [];
  const out: RawPort[] = [];
  for (const name of readdirSync(root).sort()) {
    const device = join(root, name, 'device');
    if (!SERIAL_TTY.test(name) || !existsSync(device)) continue;
    const port: RawPort = { path: `/dev/${name}` };
    // A USB adapter's ids sit on the USB device, a few folders above the tty's interface.
    let dir = realpathSync(device);
    for (let up = 0; up < 4 && dir !== '/'; up++, dir = dirname(dir)) {
      const vendorId = read(join(dir, 'idVendor'));
      if (!vendorId) continue;
      port.vendorId = vendorId;
      port.productId = read(join(dir, 'idProduct'));
      port.manufacturer = read(join(dir, 'manufacturer'));
      port.serialNumber = read(join(dir, 'serial'));
      break;
    }
    out.push(port);
  }
  return out;
}
