import { listPorts } from '../../transport/ports.js';
import { parse, type Io } from '../args.js';

export async function ports(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {}, 'ems-commissioner ports [--json]');
  const list = await listPorts();
  if (values.json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  if (!list.length) {
    io.out(
      'No serial ports found. (Pseudo-terminals such as socat ptys are not listed; give their path directly.)',
    );
    return 0;
  }
  for (const p of list) {
    const usb = p.vendorId ? ` USB ${p.vendorId}:${p.productId}` : '';
    const hint = p.rs485Likely ? `  ← likely RS485 adapter (${p.chip})` : '';
    io.out(
      `${p.path}${usb}${p.manufacturer ? `  ${p.manufacturer}` : ''}${p.serialNumber ? `  s/n ${p.serialNumber}` : ''}${hint}`,
    );
  }
  return 0;
}
