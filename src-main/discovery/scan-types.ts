import { Type, type Static } from '@sinclair/typebox';
import type { ModbusBus } from '../bus/modbus-bus.js';

const Parity = Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]);
const SystemType = Type.Union([
  Type.Literal('1P'),
  Type.Literal('2P'),
  Type.Literal('3P'),
  Type.Literal('3P.N'),
]);

/** One identification register as read from a unit: its words, or the exception it answered. */
export const IdRead = Type.Object(
  {
    fc: Type.Union([Type.Literal(3), Type.Literal(4)]),
    register: Type.Integer({ minimum: 0, maximum: 0xffff }),
    words: Type.Union([Type.Array(Type.Integer({ minimum: 0, maximum: 0xffff })), Type.Null()]),
    exception: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type IdRead = Static<typeof IdRead>;

export const FoundKind = Type.Union([
  /** Identified from the device library. */
  Type.Literal('meter'),
  /** Answers, but matches no library model: listed with what its id registers held. */
  Type.Literal('unknown'),
  /** Answers with zeros only, or the same answer for every unit id: a gateway, not a meter. */
  Type.Literal('not-a-meter'),
]);
export type FoundKind = Static<typeof FoundKind>;

export const FoundConnection = Type.Union([
  Type.Object(
    {
      port: Type.String({ minLength: 1 }),
      baud: Type.Integer({ minimum: 300, maximum: 921_600 }),
      parity: Parity,
      stopBits: Type.Union([Type.Literal(1), Type.Literal(2)]),
      unit: Type.Integer({ minimum: 1, maximum: 247 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      host: Type.String({ minLength: 1 }),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
      unit: Type.Integer({ minimum: 0, maximum: 255 }),
      rtuOverTcp: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);
export type FoundConnection = Static<typeof FoundConnection>;

/** A device a scan found; `scan --json` prints a list of these and `add --from-scan` reads them back. */
export const FoundDevice = Type.Object(
  {
    protocol: Type.Union([Type.Literal('rtu'), Type.Literal('tcp')]),
    connection: FoundConnection,
    kind: FoundKind,
    model: Type.Optional(Type.String()),
    vendor: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    variant: Type.Optional(Type.String()),
    partNumber: Type.Optional(Type.String()),
    /** The wiring system the meter itself is set to, when its model exposes it. */
    system: Type.Optional(SystemType),
    serialNumber: Type.Optional(Type.String()),
    firmware: Type.Optional(Type.String()),
    idRegisters: Type.Array(IdRead),
    /** A SunSpec device: where its chain starts and the models in it (known ones named). */
    sunspec: Type.Optional(
      Type.Object(
        {
          base: Type.Integer({ minimum: 0, maximum: 0xffff }),
          models: Type.Array(
            Type.Object(
              {
                id: Type.Integer({ minimum: 0, maximum: 0xffff }),
                address: Type.Integer({ minimum: 0, maximum: 0xffff }),
                length: Type.Integer({ minimum: 0, maximum: 0xffff }),
                name: Type.Optional(Type.String()),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    latencyMs: Type.Number(),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type FoundDevice = Static<typeof FoundDevice>;

export type RtuPosition = { baud: number; parity: 'none' | 'even' | 'odd'; unit: number };
export type TcpPosition = { host: string; port: number; unit?: number };

export interface ScanProgress<P> {
  phase: 'connect' | 'units';
  done: number;
  total: number;
  current: P;
  found: number;
}

export interface ScanHooks<P> {
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress<P>) => void;
  onFound?: (d: FoundDevice) => void;
  /** Called with every bus the scan opens, so a monitor can show its traffic (and again with null when closed). */
  onBus?: (key: string, bus: ModbusBus | null) => void;
}

export interface ScanReport {
  kind: 'rtu' | 'tcp';
  startedAt: number;
  durationMs: number;
  cancelled: boolean;
  /** Probes sent (unit ids asked, hosts tried). */
  probes: number;
  found: FoundDevice[];
  /** What else the technician should know (noise at another baud rate, gateways seen). */
  hints: string[];
}

/** Validates a `scan --json` document (a ScanReport or a bare list) and returns its devices. */
export const ScanFile = Type.Union([
  Type.Object({ found: Type.Array(FoundDevice) }),
  Type.Array(FoundDevice),
]);
