import { randomUUID } from 'node:crypto';

/**
 * Results main keeps for a later Add (M-Bus scans, P1 detections), by a short id; the newest few
 * only, so a forgotten page does not hold readouts forever. `retire` runs for each one dropped
 * (a scan still running is stopped, so it does not hold its port).
 */
export class Remembered<T> {
  private readonly items = new Map<string, T>();

  constructor(
    private readonly keep = 5,
    private readonly retire: (item: T) => void = () => undefined,
  ) {}

  put(item: T): string {
    const id = randomUUID().slice(0, 8);
    this.items.set(id, item);
    for (const old of [...this.items.keys()].slice(0, -this.keep)) {
      const it = this.items.get(old);
      this.items.delete(old);
      if (it !== undefined) this.retire(it);
    }
    return id;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  /** Every item still remembered, newest first. */
  newestFirst(): T[] {
    return [...this.items.values()].reverse();
  }

  clear(): void {
    const all = [...this.items.values()];
    this.items.clear();
    for (const it of all) this.retire(it);
  }
}
