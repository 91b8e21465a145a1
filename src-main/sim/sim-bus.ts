import { ModbusException, type SimulatedMeter } from './modbus-sim.js';

/** What a line does for a unit id nobody has: RTU slaves stay silent, a TCP gateway answers exception 11. */
export type AbsentUnit = 'silent' | 'gateway-exception';

export interface SimBusOptions {
  absent?: AbsentUnit;
  /** A plain Modbus TCP device that ignores the unit id: every id reaches the first meter. */
  anyUnit?: boolean;
}

const GATEWAY_TARGET_FAILED = 0x0b;

/**
 * Several simulated meters behind one line (an RS485 bus, or a gateway): answers a request PDU for
 * a unit id the way the meters and the line would. Framing belongs to the servers.
 */
export class SimulatedBus {
  private readonly byUnit = new Map<number, SimulatedMeter>();

  constructor(
    readonly meters: readonly SimulatedMeter[],
    readonly o: SimBusOptions = {},
  ) {
    for (const m of meters) {
      if (this.byUnit.has(m.o.unit)) throw new Error(`two simulated meters share unit id ${m.o.unit}`);
      this.byUnit.set(m.o.unit, m);
    }
  }

  meter(unit: number): SimulatedMeter | undefined {
    return this.o.anyUnit ? this.meters[0] : this.byUnit.get(unit);
  }

  /** The reply PDU, or undefined when nothing answers (an absent unit on RTU, or a broadcast). */
  async answer(unit: number, pdu: Buffer): Promise<Buffer | undefined> {
    if (unit === 0) {
      // Broadcast: every meter executes writes, none replies.
      for (const m of this.meters) execute(m, pdu);
      return undefined;
    }
    const meter = this.meter(unit);
    if (!meter)
      return this.o.absent === 'gateway-exception'
        ? Buffer.from([(pdu[0] ?? 0) | 0x80, GATEWAY_TARGET_FAILED])
        : undefined;
    if (meter.o.delayMs) await new Promise((r) => setTimeout(r, meter.o.delayMs));
    return execute(meter, pdu);
  }
}

function execute(meter: SimulatedMeter, pdu: Buffer): Buffer {
  const fc = pdu[0] ?? 0;
  try {
    if ((fc === 3 || fc === 4) && pdu.length === 5) {
      const values = meter.read(fc, pdu.readUInt16BE(1), pdu.readUInt16BE(3));
      const out = Buffer.alloc(2 + values.length * 2);
      out[0] = fc;
      out[1] = values.length * 2;
      values.forEach((v, i) => out.writeUInt16BE(v & 0xffff, 2 + i * 2));
      return out;
    }
    if (fc === 6 && pdu.length === 5) {
      meter.write(pdu.readUInt16BE(1), [pdu.readUInt16BE(3)]);
      return Buffer.from(pdu);
    }
    if (fc === 16 && pdu.length >= 6) {
      const count = pdu.readUInt16BE(3);
      if (pdu[5] !== count * 2 || pdu.length !== 6 + count * 2) return exception(fc, 3);
      const words: number[] = [];
      for (let i = 0; i < count; i++) words.push(pdu.readUInt16BE(6 + i * 2));
      meter.write(pdu.readUInt16BE(1), words);
      return Buffer.from(pdu.subarray(0, 5));
    }
    return exception(fc, 1);
  } catch (e) {
    if (e instanceof ModbusException) return exception(fc, e.modbusErrorCode);
    return exception(fc, 4);
  }
}

function exception(fc: number, code: number): Buffer {
  return Buffer.from([fc | 0x80, code]);
}
