/**
 * The argument of every call, as TypeBox schemas: the request types of the contract are inferred from
 * these, and main checks every incoming argument against them before a handler runs. Pure data (no
 * Electron, no Node, no engine imports), so the browser bridge and the tests use the same schemas.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PROTOCOLS } from './domain.js';
import { MAPPING_REQUESTS } from './requests-mapping.js';
import { IntegrationsPatch } from './requests-integrations.js';
import { SITE_REQUESTS } from './requests-site.js';

const Uid = Type.Integer({ minimum: 1 });
const Label = Type.String({ minLength: 1, maxLength: 80 });
const Parity = Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')]);
const StopBits = Type.Union([Type.Literal(1), Type.Literal(2)]);
const Baud = Type.Integer({ minimum: 300, maximum: 921_600 });
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_-]+$' });
/** A host, an address or an IPv4 range in CIDR form (10.0.1.0/29). */
const ScanHost = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_/-]+$' });
const TcpPort = Type.Integer({ minimum: 1, maximum: 65_535 });
const ModelId = Type.String({ minLength: 1, maxLength: 64 });
const Nothing = Type.Undefined();
const Strict = { additionalProperties: false } as const;

export const RtuConnectionSchema = Type.Object(
  {
    port: Type.String({ minLength: 1, maxLength: 255 }),
    baud: Baud,
    parity: Parity,
    stopBits: StopBits,
    unit: Type.Integer({ minimum: 1, maximum: 247 }),
    model: ModelId,
  },
  Strict,
);
export const TcpConnectionSchema = Type.Object(
  {
    host: Host,
    port: TcpPort,
    unit: Type.Integer({ minimum: 0, maximum: 255 }),
    model: ModelId,
    rtuOverTcp: Type.Optional(Type.Boolean()),
  },
  Strict,
);

const UnitRange = Type.Object(
  { from: Type.Integer({ minimum: 0, maximum: 255 }), to: Type.Integer({ minimum: 0, maximum: 255 }) },
  Strict,
);

export const RtuScanSchema = Type.Object(
  {
    protocol: Type.Literal('rtu'),
    port: Type.String({ minLength: 1, maxLength: 255 }),
    bauds: Type.Array(Baud, { minItems: 1, maxItems: 12 }),
    parities: Type.Array(Parity, { minItems: 1, maxItems: 3 }),
    stopBits: Type.Array(StopBits, { minItems: 1, maxItems: 2 }),
    units: UnitRange,
  },
  Strict,
);
export const TcpScanSchema = Type.Object(
  {
    protocol: Type.Literal('tcp'),
    hosts: Type.Array(ScanHost, { minItems: 1, maxItems: 1024 }),
    port: TcpPort,
    units: UnitRange,
  },
  Strict,
);

/** An M-Bus scan: one line, some baud rates, a primary range and/or the secondary search. */
export const MbusScanSchema = Type.Object(
  {
    port: Type.String({ minLength: 1, maxLength: 255 }),
    bauds: Type.Array(Type.Integer({ minimum: 300, maximum: 38_400 }), { minItems: 1, maxItems: 8 }),
    primary: Type.Optional(
      Type.Object(
        { from: Type.Integer({ minimum: 0, maximum: 250 }), to: Type.Integer({ minimum: 0, maximum: 250 }) },
        Strict,
      ),
    ),
    secondary: Type.Boolean(),
  },
  Strict,
);
const HandleArg = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 80 }), label: Type.Optional(Label) },
  Strict,
);

const Username = Type.String({ minLength: 1, maxLength: 64 });
const Password = Type.String({ minLength: 8, maxLength: 256 });
const Role = Type.Union([Type.Literal('api'), Type.Literal('admin')]);
const Ms = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000 });

/** Request schema of every invoke channel; the channel list of the contract is these keys. */
export const REQUESTS = {
  'engine.info': Nothing,
  'config.tree': Type.Union([
    Nothing,
    Type.Object({ protocol: Type.Optional(Type.Union(PROTOCOLS.map((p) => Type.Literal(p)))) }, Strict),
  ]),
  'config.models': Nothing,
  'device.status': Nothing,
  'device.add': Type.Object(
    {
      model: ModelId,
      connection: Type.Union([RtuConnectionSchema, TcpConnectionSchema]),
      label: Type.Optional(Label),
    },
    Strict,
  ),
  'device.update': Type.Object(
    {
      uid: Uid,
      label: Type.Optional(Label),
      enable: Type.Optional(Type.Boolean()),
      pollMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
    },
    Strict,
  ),
  'device.remove': Type.Object({ uid: Uid }, Strict),
  'device.check': Type.Object({ uid: Uid }, Strict),
  'load.update': Type.Object(
    {
      uid: Uid,
      label: Type.Optional(Label),
      enable: Type.Optional(Type.Boolean()),
      type: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
    },
    Strict,
  ),
  /** Makes a load the site's main (grid) meter (`main` true; the old main is cleared) or clears it. */
  'load.setMain': Type.Object({ uid: Uid, main: Type.Boolean() }, Strict),
  'signal.update': Type.Object(
    {
      uid: Uid,
      enable: Type.Optional(Type.Boolean()),
      // null switches the deadband off: every raw sample is stored again.
      deadband: Type.Optional(
        Type.Union([
          Type.Null(),
          Type.Object(
            {
              delta: Type.Number({ minimum: 0, maximum: 1e12 }),
              maxGapS: Type.Integer({ minimum: 1, maximum: 86_400 }),
            },
            Strict,
          ),
        ]),
      ),
    },
    Strict,
  ),
  'realtime.get': Type.Union([
    Nothing,
    Type.Object({ uids: Type.Optional(Type.Array(Uid, { maxItems: 10_000 })) }, Strict),
  ]),
  'history.get': Type.Object(
    { uids: Type.Array(Uid, { minItems: 1, maxItems: 40 }), start: Ms, end: Ms },
    Strict,
  ),
  'discovery.ports': Nothing,
  'discovery.start': Type.Union([RtuScanSchema, TcpScanSchema]),
  'discovery.cancel': Type.Object({ scanId: Type.String({ minLength: 1, maxLength: 64 }) }, Strict),
  'discovery.add': Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: 80 }),
      label: Type.Optional(Label),
      loadType: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
    },
    Strict,
  ),
  'mbus.scan': MbusScanSchema,
  'mbus.cancel': Type.Object({ scanId: Type.String({ minLength: 1, maxLength: 64 }) }, Strict),
  'mbus.add': HandleArg,
  'p1.detect': Type.Object(
    {
      port: Type.String({ minLength: 1, maxLength: 255 }),
      /** Listening time per setting; DSMR 2.2–4 meters send every 10 s, DSMR 5 every second. */
      listenMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 30_000 })),
    },
    Strict,
  ),
  'p1.add': HandleArg,
  'loadconfig.read': Type.Object({ lid: Uid }, Strict),
  'loadconfig.write': Type.Object(
    {
      lid: Uid,
      values: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Number(), {
        minProperties: 1,
        maxProperties: 64,
      }),
    },
    Strict,
  ),
  'monitor.snapshot': Type.Union([
    Nothing,
    Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }, Strict),
  ]),
  'settings.get': Nothing,
  'settings.update': Type.Object(
    {
      api: Type.Optional(
        Type.Object({ host: Host, port: Type.Integer({ minimum: 0, maximum: 65_535 }) }, Strict),
      ),
      rawRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    },
    Strict,
  ),
  'settings.demo': Type.Object({ on: Type.Boolean() }, Strict),
  'users.list': Nothing,
  'users.add': Type.Object({ username: Username, password: Password, role: Role }, Strict),
  'users.remove': Type.Object({ username: Username }, Strict),
  'users.password': Type.Object({ username: Username, password: Password }, Strict),
  'tokens.list': Nothing,
  'tokens.create': Type.Object({ label: Type.String({ minLength: 1, maxLength: 100 }) }, Strict),
  'tokens.revoke': Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) }, Strict),
  ...MAPPING_REQUESTS,
  'integrations.get': Nothing,
  'integrations.update': IntegrationsPatch,
  ...SITE_REQUESTS,
} satisfies Record<string, TSchema>;

export type RequestSchemas = typeof REQUESTS;
export type Requests = { [K in keyof RequestSchemas]: Static<RequestSchemas[K]> };
