/** A Modbus device as the gateway exposes it: its own unit id on its bus, its uid in the configuration. */
export interface ExposedDevice {
  uid: number;
  busUnit: number;
}

export interface UnitAssignment {
  unit: number;
  uid: number;
  busUnit: number;
  /** True when the device shares its bus unit id with a device of lower uid and was given another. */
  moved: boolean;
}

const FIRST_SPARE = 101;
const LAST_UNIT = 247;

/**
 * Unit ids the gateway answers for: each device at its own unit id, so a client set up for the meter
 * works unchanged. Where devices share one (two buses, same address), the lowest uid keeps it and each
 * other gets the lowest free id from 101 up. Pure: the same configuration always maps the same way.
 */
export function assignUnits(devices: readonly ExposedDevice[]): UnitAssignment[] {
  const sorted = [...devices].sort((a, b) => a.uid - b.uid);
  const taken = new Set<number>();
  const out: UnitAssignment[] = [];
  const clashing: ExposedDevice[] = [];
  for (const d of sorted) {
    if (d.busUnit >= 1 && d.busUnit <= LAST_UNIT && !taken.has(d.busUnit)) {
      taken.add(d.busUnit);
      out.push({ unit: d.busUnit, uid: d.uid, busUnit: d.busUnit, moved: false });
    } else clashing.push(d);
  }
  let next = FIRST_SPARE;
  for (const d of clashing) {
    while (next <= LAST_UNIT && taken.has(next)) next++;
    if (next > LAST_UNIT) throw new Error(`no free unit id left for device ${d.uid} (101-247 all in use)`);
    taken.add(next);
    out.push({ unit: next, uid: d.uid, busUnit: d.busUnit, moved: true });
  }
  return out.sort((a, b) => a.unit - b.unit);
}
