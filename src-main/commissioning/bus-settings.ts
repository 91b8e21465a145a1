import { Type, type Static } from '@sinclair/typebox';
import type { BusTimings } from '../bus/modbus-bus.js';
import { checkSchema } from '../util/schema-check.js';

/** Per-bus timings a technician may set (a slow gateway, a meter that needs a pause between requests). */
export const BusSettings = Type.Object(
  {
    /** Ceiling and first value of the reply timeout. */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000 })),
    /** The adaptive timeout never goes below this. */
    timeoutFloorMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
    /** Adaptive timeout = factor × measured latency (+ the reply's wire time). */
    latencyFactor: Type.Optional(Type.Number({ minimum: 1, maximum: 20 })),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    /** Silence between one transaction and the next request. */
    interRequestDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
  },
  { additionalProperties: false },
);
export type BusSettings = Static<typeof BusSettings>;

export function parseBusSettings(input: unknown, key: string): Partial<BusTimings> {
  const s = checkSchema(BusSettings, input, `settings of bus ${key}`);
  if (s.timeoutMs !== undefined && s.timeoutFloorMs !== undefined && s.timeoutFloorMs > s.timeoutMs)
    throw new Error(
      `settings of bus ${key}: timeoutFloorMs ${s.timeoutFloorMs} is above timeoutMs ${s.timeoutMs}`,
    );
  return s;
}
