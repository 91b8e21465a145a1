import type { MetaRepo } from './meta-repo.js';

/** A meter's settings as last read from the meter: the model's config keys, null where not readable. */
export interface MeterSettingsRead {
  /** When the meter was read, Unix ms. */
  readAt: number;
  values: Record<string, number | null>;
}

const READ_KEY = (uid: number): string => `meter_settings.${uid}`;
const MAIN_KEY = 'main_load';

/**
 * The last configuration read of each meter and the site's main (grid) meter, kept in the meta
 * table: one small JSON value per device, and one load uid for the whole site, so there is never
 * more than one main.
 */
export class MeterSettingsRepo {
  constructor(private readonly meta: MetaRepo) {}

  /** The last read of a device's settings; undefined if it was never read. */
  lastRead(uid: number): MeterSettingsRead | undefined {
    const raw = this.meta.get(READ_KEY(uid));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as Partial<MeterSettingsRead>;
      if (typeof v.readAt !== 'number' || !v.values || typeof v.values !== 'object') return undefined;
      const values: Record<string, number | null> = {};
      for (const [k, x] of Object.entries(v.values)) values[k] = typeof x === 'number' ? x : null;
      return { readAt: v.readAt, values };
    } catch {
      return undefined;
    }
  }

  /** Keeps a full read of a device's settings, replacing the one before. */
  recordRead(uid: number, values: Readonly<Record<string, number | null>>, readAt = Date.now()): void {
    this.meta.set(READ_KEY(uid), JSON.stringify({ readAt, values }));
  }

  /**
   * Settings written and read back since the last full read: their values change, the time of the
   * read stays (nothing is recorded for a meter that was never read in full).
   */
  recordReadBack(uid: number, values: Readonly<Record<string, number>>): void {
    const cur = this.lastRead(uid);
    if (!cur) return;
    this.recordRead(uid, { ...cur.values, ...values }, cur.readAt);
  }

  /** The uid of the site's main (grid) meter load, if one was chosen. */
  mainLoad(): number | undefined {
    const raw = this.meta.get(MAIN_KEY);
    const n = raw === undefined || raw === '' ? NaN : Number(raw);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }

  /** Makes a load the site's main meter (the one before stops being it); undefined clears it. */
  setMainLoad(lid: number | undefined): void {
    this.meta.set(MAIN_KEY, lid === undefined ? '' : String(lid));
  }
}
