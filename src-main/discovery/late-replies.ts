import type { BusMonitor, MonitorFrame } from '../bus/monitor.js';
import { RtuResponseParser } from '../protocol/modbus/rtu-frame.js';

/**
 * A scan waits only briefly for each unit id, so a slow meter's reply may arrive while the next id
 * is being asked (the bus logs it as a reply from the wrong unit) or between two requests (dropped
 * as stale bytes). Both still name the unit that answered: it is asked again with a patient timeout.
 */
export class LateReplies {
  readonly units = new Set<number>();
  private readonly onFrame = (f: MonitorFrame): void => this.inspect(f);

  constructor(
    private readonly monitor: BusMonitor,
    private readonly framing: 'rtu' | 'tcp' = 'rtu',
  ) {
    monitor.on('frame', this.onFrame);
  }

  private inspect(f: MonitorFrame): void {
    if (f.dir !== 'rx') return;
    if (f.outcome === 'wrong-unit' && f.unit > 0) {
      if (!this.isGatewayException(f)) this.units.add(f.unit);
      return;
    }
    if (f.outcome === 'garbage' && f.hex) {
      for (const ev of new RtuResponseParser().push(Buffer.from(f.hex, 'hex')))
        if (ev.kind === 'frame' && ev.unit > 0) this.units.add(ev.unit);
    }
  }

  /** A gateway's late "no device there" names a unit id, but no unit. */
  private isGatewayException(f: MonitorFrame): boolean {
    if (!(f.fc & 0x80)) return false;
    const code = Buffer.from(f.hex, 'hex')[this.framing === 'tcp' ? 8 : 2];
    return code === 10 || code === 11;
  }

  stop(): void {
    this.monitor.off('frame', this.onFrame);
  }
}
