import { Type, type Static } from '@sinclair/typebox';

/** Register value encodings are a closed set; special decodings get a named codec, never a free string. */
export const RegisterType = Type.Union([
  Type.Literal('int16'),
  Type.Literal('uint16'),
  Type.Literal('int32'),
  Type.Literal('uint32'),
  Type.Literal('int64'),
  Type.Literal('uint64'),
  Type.Literal('float32'),
  Type.Literal('float64'),
  Type.Literal('ascii'),
]);
export type RegisterType = Static<typeof RegisterType>;

/**
 * Word and byte order of a multi-register value, for bytes A B C D of a 32-bit value (A most
 * significant): msw = ABCD, high word at the lower address, bytes as Modbus sends them (Eastron,
 * ABB); lsw = CDAB, low word first (Carlo Gavazzi); msw-byteswap = BADC and lsw-byteswap = DCBA, the
 * same with the two bytes of every register swapped (some gateways and PLC-based meters). A 16-bit
 * value or a text register only feels the byte swap.
 */
export const WordOrder = Type.Union([
  Type.Literal('msw'),
  Type.Literal('lsw'),
  Type.Literal('msw-byteswap'),
  Type.Literal('lsw-byteswap'),
]);
export type WordOrder = Static<typeof WordOrder>;

export const ReadFunction = Type.Union([Type.Literal(3), Type.Literal(4)]);
export type ReadFunction = Static<typeof ReadFunction>;

export const SystemType = Type.Union([
  Type.Literal('1P'),
  Type.Literal('2P'),
  Type.Literal('3P'),
  Type.Literal('3P.N'),
]);
export type SystemType = Static<typeof SystemType>;

const Address = Type.Integer({ minimum: 0, maximum: 0xffff, description: '0-based PDU register address' });
const Source = Type.String({
  minLength: 1,
  description: 'where this fact comes from (a key of ../shared/meters sources)',
});

export const RegisterRef = Type.Object(
  {
    register: Address,
    fc: ReadFunction,
    type: RegisterType,
    words: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'only for ascii' })),
    wordOrder: Type.Optional(WordOrder),
  },
  { additionalProperties: false },
);

export const ModelSignal = Type.Object(
  {
    key: Type.String({ minLength: 1, description: 'signal catalogue key' }),
    register: Address,
    fc: ReadFunction,
    type: RegisterType,
    wordOrder: Type.Optional(WordOrder),
    scale: Type.Optional(Type.Number()),
    /** A signed 16-bit power-of-ten exponent register (SunSpec sunssf, same fc) read in the same cycle: value × scale × 10^exponent; 0x8000 there means no value. */
    scaleRegister: Type.Optional(Address),
    unit: Type.String({ description: 'unit after scaling; must equal the catalogue unit' }),
    /** Decoded raw values (before scaling) that mean "no value" (e.g. overflow 0x7FFFFFFF): reported as out of range (s = 2). */
    invalidRaw: Type.Optional(Type.Array(Type.Number())),
    /** Decoded raw values at or above this mean overflow (EM24: any value whose high word is 0x7FFF). */
    invalidFrom: Type.Optional(Type.Number()),
    /** Some variants answer exception 2 here: read it in a request of its own so it cannot fail its neighbours. */
    mayBeAbsent: Type.Optional(Type.Boolean()),
    /** The meter answers this register only in a request of its own (CG 0x0300: "one word per request"). */
    readAlone: Type.Optional(Type.Boolean()),
    note: Type.Optional(Type.String()),
    source: Source,
    uncertain: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ModelSignal = Static<typeof ModelSignal>;

export const IdMatch = Type.Object(
  {
    values: Type.Optional(Type.Array(Type.Integer())),
    range: Type.Optional(Type.Tuple([Type.Integer(), Type.Integer()])),
    text: Type.Optional(Type.String({ description: 'prefix of an ascii id register' })),
    variant: Type.String(),
    partNumber: Type.String(),
    /** Word order of this variant when it differs from the model's (e.g. engineering samples). */
    wordOrder: Type.Optional(WordOrder),
    uncertain: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type IdMatch = Static<typeof IdMatch>;

export const Identification = Type.Object(
  {
    register: Address,
    fc: ReadFunction,
    type: RegisterType,
    words: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    match: Type.Array(IdMatch, { minItems: 1 }),
    source: Source,
  },
  { additionalProperties: false },
);
export type Identification = Static<typeof Identification>;

export const InfoRegister = Type.Object(
  {
    name: Type.String(),
    register: Address,
    fc: ReadFunction,
    type: RegisterType,
    words: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    wordOrder: Type.Optional(WordOrder),
    note: Type.Optional(Type.String()),
    source: Source,
  },
  { additionalProperties: false },
);

const Choice = Type.Object({ value: Type.Integer(), label: Type.String() }, { additionalProperties: false });

/** A writable setup register with its encoding, so the UI can build the form from data. */
export const ConfigRegister = Type.Object(
  {
    key: Type.String({ minLength: 1 }),
    label: Type.String(),
    register: Address,
    fc: ReadFunction,
    type: RegisterType,
    wordOrder: Type.Optional(WordOrder),
    writeFc: Type.Union([Type.Literal(6), Type.Literal(16)]),
    scale: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.String()),
    choices: Type.Optional(Type.Array(Choice, { minItems: 1 })),
    /** min/max are in `unit`, i.e. after scaling (CT ratio 1.0..60000.0, not raw 10..600000). */
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    /** A command register (e.g. a counter reset): write it, never read it back. */
    writeOnly: Type.Optional(Type.Boolean()),
    /** Registers that must be written first/after (e.g. a password or an "apply" register). */
    note: Type.Optional(Type.String()),
    source: Source,
    uncertain: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ConfigRegister = Static<typeof ConfigRegister>;

export const DeviceModel = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    vendor: Type.String(),
    name: Type.String(),
    protocols: Type.Array(Type.Union([Type.Literal('rtu'), Type.Literal('tcp')]), { minItems: 1 }),
    systems: Type.Array(SystemType, { minItems: 1 }),
    serialDefaults: Type.Optional(
      Type.Object(
        {
          baud: Type.Integer(),
          parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]),
          stopBits: Type.Union([Type.Literal(1), Type.Literal(2)]),
          unit: Type.Integer({ minimum: 1, maximum: 247 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Modbus TCP defaults of meters with their own Ethernet port (not of serial meters behind a gateway). */
    tcpDefaults: Type.Optional(
      Type.Object(
        {
          port: Type.Integer({ minimum: 1, maximum: 65535 }),
          unit: Type.Integer({ minimum: 0, maximum: 255 }),
        },
        { additionalProperties: false },
      ),
    ),
    wordOrder: WordOrder,
    maxRegistersPerRead: Type.Integer({ minimum: 1, maximum: 125 }),
    /**
     * Where a scan reads what model this is. Absent when the maker documents no id register (Janitza
     * UMG 96RM): such a model is read with --model, and a scan lists the device as unknown.
     */
    identification: Type.Optional(Identification),
    info: Type.Optional(Type.Array(InfoRegister)),
    signals: Type.Array(ModelSignal, { minItems: 1 }),
    config: Type.Optional(Type.Array(ConfigRegister)),
    sources: Type.Record(Type.String(), Type.String(), { description: 'source key → citation' }),
    notes: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type DeviceModel = Static<typeof DeviceModel>;

/** The model schema as a plain JSON Schema document, for editors and for checking users' own files. */
export function deviceModelJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(DeviceModel)) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'device-model.schema.json',
    title: 'EMS Commissioner device model',
    ...plain,
  };
}
