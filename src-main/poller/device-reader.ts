/** What the poller needs from any protocol driver: read every signal of one device once. */
export interface DeviceReading {
  /** Catalogue key → value in catalogue units; status per the realtime `s` codes; r 1 = computed. */
  values: Map<string, { value: number | string | boolean | null; status: 0 | 1 | 2; r?: 0 | 1 }>;
  /** The device answered at all (false → every signal of the device turns stale). */
  answered: boolean;
  error?: string;
}

export interface DeviceReader {
  read(signal?: AbortSignal): Promise<DeviceReading>;
  close?(): Promise<void>;
}
