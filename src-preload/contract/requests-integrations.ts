/**
 * What `integrations.update` accepts: per integration only the fields to change. A password or token
 * given as "" is removed; left out it stays as it is (the UI never receives it back).
 */
import { Type } from '@sinclair/typebox';

const Strict = { additionalProperties: false } as const;
const Url = Type.String({ maxLength: 500 });
const Text = (max: number) => Type.String({ maxLength: max });
const Topic = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^#+\\s]+$' });

export const IntegrationsPatch = Type.Object(
  {
    mqtt: Type.Optional(
      Type.Partial(
        Type.Object(
          {
            enabled: Type.Boolean(),
            url: Url,
            username: Text(200),
            password: Text(500),
            caFile: Text(1000),
            prefix: Topic,
            discoveryPrefix: Topic,
            discovery: Type.Boolean(),
            queueLimit: Type.Integer({ minimum: 100, maximum: 10_000_000 }),
          },
          Strict,
        ),
        Strict,
      ),
    ),
    influx: Type.Optional(
      Type.Partial(
        Type.Object(
          {
            enabled: Type.Boolean(),
            url: Url,
            version: Type.Union([Type.Literal(1), Type.Literal(2)]),
            database: Text(200),
            org: Text(200),
            bucket: Text(200),
            token: Text(1000),
            username: Text(200),
            password: Text(500),
            batchSize: Type.Integer({ minimum: 1, maximum: 50_000 }),
          },
          Strict,
        ),
        Strict,
      ),
    ),
    prometheus: Type.Optional(
      Type.Partial(Type.Object({ enabled: Type.Boolean(), openOnLoopback: Type.Boolean() }, Strict), Strict),
    ),
    modbusGateway: Type.Optional(
      Type.Partial(
        Type.Object(
          {
            enabled: Type.Boolean(),
            host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]_-]+$' }),
            port: Type.Integer({ minimum: 1, maximum: 65_535 }),
            allowRemote: Type.Boolean(),
            writable: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 }),
          },
          Strict,
        ),
        Strict,
      ),
    ),
  },
  { ...Strict, minProperties: 1 },
);
