import { Type, type TSchema } from '@sinclair/typebox';
import { PROTOCOLS } from '../../../src-preload/contract/domain.js';

/** Maps keyed by uid as a decimal string, the seed's shape for every collection. */
const byUid = <T extends TSchema>(item: T, description: string) =>
  Type.Record(Type.Integer(), item, { description });

const nullableNumber = (description: string) =>
  Type.Optional(Type.Unsafe<number | null>({ type: ['number', 'null'], description }));

/** The seed's meter settings, served beside the connection fields on every load of an electricity meter. */
const MeterSettingsProps = {
  main: Type.Optional(
    Type.Boolean({
      description:
        "This load is the site's main (grid) meter. Set by the technician (UI, or `ems-commissioner configure --main`); one per site: choosing a new main clears the old one.",
    }),
  ),
  system: Type.Optional(
    Type.Integer({
      description:
        'Wiring system code: 0 = 3P.N (3-phase 4-wire), 1 = 3P (3-phase 3-wire), 2 = 2P (2-phase / split-phase), 3 = 1P (single-phase). As the meter reported it at the last configuration read; the configured wiring of the device when the meter was never read or has no wiring setting.',
    }),
  ),
  configReadAt: Type.Optional(
    Type.Unsafe<string | null>({
      type: ['string', 'null'],
      format: 'date-time',
      description:
        "Extra field (not in the seed): when the meter's settings were last read (ISO 8601, UTC); null when they were never read: then every setting below is null.",
    }),
  ),
  ct: nullableNumber('CT ratio (device-library key ct_ratio); only on models that have it'),
  currentDirections: nullableNumber(
    'Current directions (key current_directions); only on models that have it',
  ),
  digitalInputMode: nullableNumber(
    'Digital input mode (key digital_input_mode); only on models that have it',
  ),
  digitalOutputMode: nullableNumber(
    'Digital output mode (key digital_output_mode); only on models that have it',
  ),
  digitalOutputModeNcNo: nullableNumber(
    'Digital output normally closed / open (key digital_output_nc_no); only on models that have it',
  ),
  measureType: nullableNumber('Measuring type (key measuring_mode); only on models that have it'),
  startUpCurrentRH: nullableNumber(
    'Start-up current of the run-hour counter (key run_hours_start_current); only on models that have it',
  ),
};

const Settings = (protocol: string) =>
  Type.Optional(
    protocol === 'rtu' || protocol === 'tcp' || protocol === 'P1'
      ? Type.Object(MeterSettingsProps, {
          additionalProperties: true,
          description: `Settings of a ${protocol} load (present only on loads of ${protocol} devices): the connection fields and, on an electricity meter, the seed's meter settings. The settings other than main and system appear only where the model has them, with their value from the last configuration read (null when never read or not readable).`,
        })
      : Type.Record(Type.String(), Type.Unknown(), {
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
