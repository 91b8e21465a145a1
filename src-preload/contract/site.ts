/**
 * The site: what a technician plans for one installation, as a TypeBox schema. The same schema
 * validates the store's copy, an imported `.emssite` file and the UI's edits, and is published as
 * resources/site.schema.json. Pure data: no Electron, no Node, no engine imports.
 */
import { Type, type Static } from '@sinclair/typebox';

const Strict = { additionalProperties: false } as const;
const Text = (maxLength: number) => Type.String({ maxLength });
const Parity = Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]);

export const SITE_FILE_FORMAT = 'ems-commissioner-site';
export const SITE_FILE_VERSION = 1;
/** The file extension the desktop app registers for site files. */
export const SITE_FILE_EXTENSION = '.emssite';

export const SiteInfoSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    address: Text(300),
    customer: Text(120),
    installer: Text(120),
    notes: Text(4000),
  },
  Strict,
);
export type SiteInfo = Static<typeof SiteInfoSchema>;

/** Where a planned device is connected. */
export const PlannedBusSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('serial'),
      port: Type.String({ minLength: 1, maxLength: 255 }),
      baud: Type.Integer({ minimum: 300, maximum: 921_600 }),
      parity: Parity,
      stopBits: Type.Union([Type.Literal(1), Type.Literal(2)]),
    },
    Strict,
  ),
  Type.Object(
    {
      kind: Type.Literal('tcp'),
      host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_-]+$' }),
      port: Type.Integer({ minimum: 1, maximum: 65_535 }),
      rtuOverTcp: Type.Optional(Type.Boolean()),
    },
    Strict,
  ),
  Type.Object(
    {
      kind: Type.Literal('mbus'),
      port: Type.String({ minLength: 1, maxLength: 255 }),
      baud: Type.Integer({ minimum: 300, maximum: 38_400 }),
    },
    Strict,
  ),
  Type.Object({ kind: Type.Literal('p1'), port: Type.String({ minLength: 1, maxLength: 255 }) }, Strict),
]);
export type PlannedBus = Static<typeof PlannedBusSchema>;

export const SITE_ROLES = ['grid', 'production', 'consumption', 'sub-meter'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

export const PlannedDeviceSchema = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 80 }),
    /** A device library id (Modbus meters), or "meterBus" / "P1" for those buses. */
    model: Type.String({ minLength: 1, maxLength: 64 }),
    bus: PlannedBusSchema,
    /** Modbus unit id (RTU 1..247, TCP 0..255). */
    unit: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    /** M-Bus primary address (0..250) or secondary address (8 digits). */
    mbusAddress: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 250 }), Type.String({ pattern: '^[0-9]{8}$' })]),
    ),
    /** Matches by serial number when the unit id is not known yet. */
    serialNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    /** The firmware the technician expects (a difference is reported, nothing is updated). */
    firmware: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    role: Type.Union(SITE_ROLES.map((r) => Type.Literal(r))),
    ctRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    system: Type.Optional(
      Type.Union([Type.Literal('1P'), Type.Literal('2P'), Type.Literal('3P'), Type.Literal('3P.N')]),
    ),
    /** Any other setting the model knows, by its config key (checked against the model on import). */
    settings: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9_]+$' }), Type.Number())),
  },
  Strict,
);
export type PlannedDevice = Static<typeof PlannedDeviceSchema>;

/** What the store keeps and the UI edits. */
export const SiteSchema = Type.Object(
  { site: SiteInfoSchema, devices: Type.Array(PlannedDeviceSchema, { maxItems: 500 }) },
  Strict,
);
export type Site = Static<typeof SiteSchema>;

/** The exported file: the site with a format name and version, so later versions can read it. */
export const SiteFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    format: Type.Literal(SITE_FILE_FORMAT),
    version: Type.Literal(SITE_FILE_VERSION),
    exportedAt: Type.Optional(Type.String()),
    site: SiteInfoSchema,
    devices: Type.Array(PlannedDeviceSchema, { maxItems: 500 }),
  },
  { ...Strict, $id: 'site.schema.json', title: 'EMS Commissioner site file (.emssite)' },
);
export type SiteFile = Static<typeof SiteFileSchema>;
