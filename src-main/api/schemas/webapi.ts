import { Type, type TSchema } from '@sinclair/typebox';
import { PROTOCOLS } from '../../../src-preload/contract/domain.js';

/** Maps keyed by uid as a decimal string, the seed's shape for every collection. */
const byUid = <T extends TSchema>(item: T, description: string) =>
  Type.Record(Type.Integer(), item, { description });

const Settings = (protocol: string) =>
  Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: `Settings of a ${protocol} load (present only on loads of ${protocol} devices)`,
    }),
  );

export const DeviceWire = Type.Object({
  uid: Type.Integer(),
  label: Type.String(),
  partNumber: Type.String({ description: "The model's part number, e.g. EM24_E1" }),
  system: Type.Union([Type.Literal('1P'), Type.Literal('2P'), Type.Literal('3P'), Type.Literal('3P.N')], {
    description: 'Wiring system: 1P, 2P, 3P (three-phase without neutral), 3P.N (with neutral)',
  }),
});

export const LoadWire = Type.Object({
  uid: Type.Integer(),
  label: Type.String(),
  enable: Type.Boolean({ description: 'Polled and stored or not' }),
  index: Type.Integer({ description: '1-based channel number inside its device' }),
  type: Type.Integer({ description: '0 consumption, 1 production, 2 bidirectional (grid exchange)' }),
  did: Type.Integer({ description: 'UID of the owning device' }),
  ...Object.fromEntries(PROTOCOLS.map((p) => [p, Settings(p)])),
});

export const SignalWire = Type.Object({
  uid: Type.Integer(),
  si: Type.Integer({
    description: 'Signal-identifier code of the signal catalogue (29 voltage, 30 current, …)',
  }),
  sir: Type.Integer({
    description: 'The code as the source device reports it (equal to si unless remapped)',
  }),
  enable: Type.Boolean(),
  lid: Type.Integer({ description: 'UID of the owning load' }),
  did: Type.Integer({ description: 'UID of the owning device' }),
});

export const RealtimeWire = Type.Object({
  uid: Type.Integer(),
  si: Type.Integer(),
  // A type list rather than anyOf: the serializer picks by typeof instead of validating each branch.
  v: Type.Unsafe<number | string | null>({
    type: ['number', 'string', 'null'],
    description: 'Value in the catalogue unit (text signals: a string; no value: null)',
  }),
  t: Type.Integer({ description: 'Sample time, Unix ms' }),
  r: Type.Integer({ description: '0 direct reading, 1 computed (virtual) value' }),
  s: Type.Integer({ description: 'Status: 1 valid, 0 stale / not answered, 2 out of range' }),
});

export const HistoryWire = Type.Object({
  uid: Type.Integer(),
  t: Type.Integer({ description: 'Time of the last sample in the period, Unix s' }),
  p: Type.Integer({ description: 'End of the 60-s period, Unix s' }),
  v: Type.Number({ description: 'Mean over the period (gauges) or last value (counters)' }),
  d: Type.Number({ description: 'Increase of a counter over the period (0 for gauges)' }),
  max: Type.Number(),
  min: Type.Number(),
});

export const DevicesBody = Type.Object({ devices: byUid(DeviceWire, 'Devices by uid') });
export const LoadsBody = Type.Object({ loads: byUid(LoadWire, 'Loads by uid') });
export const SignalsBody = Type.Object({ signals: byUid(SignalWire, 'Signals by uid') });
export const RealtimeBody = Type.Object({ realtime: byUid(RealtimeWire, 'Latest value by signal uid') });
export const HistoryBody = Type.Object({
  history: byUid(Type.Array(HistoryWire), 'History records by signal uid, oldest first'),
});
export const HistoryLatestBody = Type.Object({
  history: byUid(HistoryWire, 'Newest history record by signal uid'),
});
export const HistoryArray = Type.Array(HistoryWire);
