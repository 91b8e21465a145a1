/**
 * Request schemas of the map builder (register maps made on site): probe a range, read picked
 * registers live, save/export/import a model file. Pure data, like requests.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

const Strict = { additionalProperties: false } as const;
const Address = Type.Integer({ minimum: 0, maximum: 0xffff });
const Fc = Type.Union([Type.Literal(3), Type.Literal(4)]);

/** Where the undescribed device answers: a TCP host or a serial line, and its unit id. */
export const MapTargetSchema = Type.Union([
  Type.Object(
    {
      host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_-]+$' }),
      port: Type.Integer({ minimum: 1, maximum: 65_535 }),
      unit: Type.Integer({ minimum: 0, maximum: 255 }),
      rtuOverTcp: Type.Optional(Type.Boolean()),
    },
    Strict,
  ),
  Type.Object(
    {
      port: Type.String({ minLength: 1, maxLength: 255 }),
      baud: Type.Integer({ minimum: 300, maximum: 921_600 }),
      parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]),
      stopBits: Type.Union([Type.Literal(1), Type.Literal(2)]),
      unit: Type.Integer({ minimum: 1, maximum: 247 }),
    },
    Strict,
  ),
]);

/** One register picked for the map, as the model file will hold it. */
export const MapPickSchema = Type.Object(
  {
    register: Address,
    fc: Fc,
    type: Type.Union(
      (['int16', 'uint16', 'int32', 'uint32', 'float32'] as const).map((t) => Type.Literal(t)),
    ),
    /** ABCD, CDAB, BADC, DCBA: the model schema's four orders. */
    wordOrder: Type.Union([
      Type.Literal('msw'),
      Type.Literal('lsw'),
      Type.Literal('msw-byteswap'),
      Type.Literal('lsw-byteswap'),
    ]),
    scale: Type.Number({ exclusiveMinimum: 0, maximum: 1e6 }),
  },
  Strict,
);

export const MAPPING_REQUESTS = {
  'mapping.catalogue': Type.Undefined(),
  'mapping.probe': Type.Object(
    {
      target: MapTargetSchema,
      fc: Fc,
      start: Address,
      count: Type.Integer({ minimum: 1, maximum: 250 }),
    },
    Strict,
  ),
  'mapping.read': Type.Object(
    { target: MapTargetSchema, picks: Type.Array(MapPickSchema, { minItems: 1, maxItems: 100 }) },
    Strict,
  ),
  /** A model file's content: checked by the device-model schema and the library's checks in main. */
  'mapping.save': Type.Object({ model: Type.Unknown() }, Strict),
  'mapping.export': Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, Strict),
  'mapping.import': Type.Object({ json: Type.String({ minLength: 2, maxLength: 1_000_000 }) }, Strict),
};

export type MapTarget = Static<typeof MapTargetSchema>;
export type MapPick = Static<typeof MapPickSchema>;
