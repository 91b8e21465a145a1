import { loadLibrary } from '../../src-main/devices/library.js';
import { convert } from '../../src-main/drivers/modbus-driver.js';
import { decodeRegisters, encodeRegisters } from '../../src-main/protocol/modbus/codec.js';
import { P1Framer } from '../../src-main/protocol/p1/framer.js';
import { parseP1Frame } from '../../src-main/protocol/p1/parser.js';
import { mapP1Telegram } from '../../src-main/protocol/p1/signals.js';
import { MeterPhysics } from '../../src-main/sim/meter-physics.js';
import { P1MeterModel } from '../../src-main/sim/p1-meter.js';

/** One signal's samples over a stretch of time, in time order. */
export interface SignalSeries {
  name: string;
  t: number[];
  v: (number | string)[];
}

/** Poll timestamps: one cycle a second per device, each landing 0-20 ms late like the poller's. */
function cycleTimes(start: number, seconds: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: seconds }, (_, i) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return start + i * 1000 + ((s >>> 0) % 21);
  });
}

/**
 * The demo plant's three Modbus meters (SDM630, EM24, EM340: the simulator's physics, every value
 * through its register encoding and the driver's conversion, as the poller stores it) and its P1 meter
 * (telegrams from the simulator, framed, parsed and mapped like the P1 reader does), at 1 s for
 * `seconds`. The M-Bus heat meter of the demo (a handful of slow values) is left out.
 */
export function demoPlantSeries(start: number, seconds: number): SignalSeries[] {
  const library = loadLibrary();
  const out: SignalSeries[] = [];
  const meters = [
    { model: 'eastron-sdm630', unit: 1 },
    { model: 'cg-em24-rs485', unit: 2 },
    { model: 'cg-em340-et340', unit: 3 },
  ];
  for (const m of meters) {
    const model = library.get(m.model);
    if (!model) throw new Error(`demo model ${m.model} missing from the library`);
    const phases = model.systems.some((s) => s.startsWith('3P')) ? 3 : 1;
    const physics = new MeterPhysics({ phases, seed: m.unit * 7 }, start);
    const series = model.signals.map((sig) => ({
      name: `${m.model}/${sig.key}`,
      t: [] as number[],
      v: [] as (number | string)[],
    }));
    for (const t of cycleTimes(start, seconds, m.unit)) {
      const values = physics.step(t);
      model.signals.forEach((sig, i) => {
        const q = values[sig.key];
        if (q === undefined) return;
        const order = sig.wordOrder ?? model.wordOrder;
        const raw = decodeRegisters(encodeRegisters(q / (sig.scale ?? 1), sig.type, order), sig.type, order);
        const reading = convert(sig, raw);
        if (reading.value === null) return;
        series[i]!.t.push(t);
        series[i]!.v.push(reading.value);
      });
    }
    out.push(...series.filter((s) => s.t.length));
  }
  const p1 = new P1MeterModel(start, { seed: 4 });
  const framer = new P1Framer();
  const byKey = new Map<string, SignalSeries>();
  for (let i = 0; i < seconds; i++) {
    for (const ev of framer.push(p1.telegram(start + i * 1000))) {
      if (ev.type !== 'frame') continue;
      const parsed = parseP1Frame(ev.frame);
      if (!parsed.ok) continue;
      for (const s of mapP1Telegram(parsed.telegram, { receivedAt: start + i * 1000 }).samples) {
        const name = `p1/${s.key}${s.channel ? `/${s.channel}` : ''}`;
        let series = byKey.get(name);
        if (!series) byKey.set(name, (series = { name, t: [], v: [] }));
        // Gas readings repeat the capture time until the next one: one sample per distinct time.
        if (series.t.at(-1) === s.t) continue;
        series.t.push(s.t);
        series.v.push(s.value);
      }
    }
  }
  out.push(...byKey.values());
  return out;
}

/** A room temperature at 0.1 °C read every second: it changes every minute or so. */
export function slowSeries(start: number, seconds: number, sensor = 0): SignalSeries {
  const t = cycleTimes(start, seconds, 99 + sensor);
  const v = t.map((x) => Math.round(210 + sensor + 20 * Math.sin((x - start) / 3_600_000 + sensor)) / 10);
  return { name: `slow/temperature-${sensor}`, t, v };
}
