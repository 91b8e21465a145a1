/** Device type ("medium") byte of the fixed header, EN 13757-3 with the later OMS additions. */
const MEDIA: Readonly<Record<number, string>> = {
  0x00: 'Other',
  0x01: 'Oil',
  0x02: 'Electricity',
  0x03: 'Gas',
  0x04: 'Heat (outlet)',
  0x05: 'Steam',
  0x06: 'Warm water (30-90 °C)',
  0x07: 'Water',
  0x08: 'Heat cost allocator',
  0x09: 'Compressed air',
  0x0a: 'Cooling (outlet)',
  0x0b: 'Cooling (inlet)',
  0x0c: 'Heat (inlet)',
  0x0d: 'Heat / cooling',
  0x0e: 'Bus / system component',
  0x0f: 'Unknown medium',
  0x10: 'Irrigation water',
  0x11: 'Water data logger',
  0x12: 'Gas data logger',
  0x13: 'Gas converter',
  0x14: 'Calorific value',
  0x15: 'Hot water (≥ 90 °C)',
  0x16: 'Cold water',
  0x17: 'Dual water',
  0x18: 'Pressure',
  0x19: 'A/D converter',
  0x1a: 'Smoke detector',
  0x1b: 'Room sensor',
  0x1c: 'Gas detector',
  0x20: 'Breaker (electricity)',
  0x21: 'Valve (gas or water)',
  0x25: 'Customer unit (display)',
  0x28: 'Waste water',
  0x29: 'Waste',
  0x2a: 'Carbon dioxide',
  0x30: 'Service tool',
  0x31: 'Communication controller (gateway)',
  0x32: 'Unidirectional repeater',
  0x33: 'Bidirectional repeater',
  0x36: 'Radio converter (system side)',
  0x37: 'Radio converter (meter side)',
  0x38: 'Bus converter (meter side)',
  0xff: 'Wildcard',
};

export function mediumName(medium: number): string {
  return MEDIA[medium] ?? `Reserved (0x${medium.toString(16).padStart(2, '0').toUpperCase()})`;
}

export type MediumClass = 'electricity' | 'heat' | 'cooling' | 'water' | 'gas' | 'other';

/** Which family of catalogue signals a medium's energy and volume records belong to. */
export function mediumClass(medium: number): MediumClass {
  switch (medium) {
    case 0x02:
    case 0x20:
      return 'electricity';
    case 0x04:
    case 0x0c:
    case 0x0d:
    case 0x05:
      return 'heat';
    case 0x0a:
    case 0x0b:
      return 'cooling';
    case 0x03:
    case 0x12:
    case 0x13:
      return 'gas';
    case 0x06:
    case 0x07:
    case 0x10:
    case 0x11:
    case 0x15:
    case 0x16:
    case 0x17:
    case 0x28:
      return 'water';
    default:
      return 'other';
  }
}

/** The 4-bit medium of the fixed data structure (CI 0x73/0x77), an older and shorter list. */
const FIXED_MEDIA: readonly string[] = [
  'Other',
  'Oil',
  'Electricity',
  'Gas',
  'Heat',
  'Steam',
  'Hot water',
  'Water',
  'Heat cost allocator',
  'Reserved',
  'Gas (mode 2)',
  'Heat (mode 2)',
  'Hot water (mode 2)',
  'Water (mode 2)',
  'Heat cost allocator (mode 2)',
  'Reserved',
];

export function fixedMediumName(code: number): string {
  return FIXED_MEDIA[code & 0x0f] ?? 'Reserved';
}
