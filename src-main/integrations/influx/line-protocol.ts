/** InfluxDB line protocol, pure: escaping per element kind, one line per sample, times in ms. */

const escMeasurement = (s: string): string => s.replace(/[\\,\s]/g, (c) => `\\${c === '\n' ? 'n' : c}`);
const escTag = (s: string): string => s.replace(/[\\,=\s]/g, (c) => `\\${c === '\n' ? 'n' : c}`);

export interface Point {
  measurement: string;
  /** Empty values are left out: line protocol has no empty tag. */
  tags: Record<string, string>;
  value: number;
  /** Unix ms. */
  t: number;
}

/** `Main,device=Main\ meter,key=voltage_l1,load=Main,unit=V value=230.1 1735689600000` */
export function toLine(p: Point): string | undefined {
  if (!Number.isFinite(p.value)) return undefined;
  const tags = Object.entries(p.tags)
    .filter(([, v]) => v !== '')
    // Sorted by key, as InfluxDB recommends for the fastest writes.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `,${escTag(k)}=${escTag(v)}`)
    .join('');
  const m = escMeasurement(p.measurement) || 'ems';
  return `${m}${tags} value=${p.value} ${Math.trunc(p.t)}`;
}
