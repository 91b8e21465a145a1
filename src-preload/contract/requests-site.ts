/**
 * The arguments of the site calls (`site.*`): the plan itself is checked by the same TypeBox schema that
 * validates an imported `.emssite` file and the store's copy, so an edit in the UI can never hold
 * what a file may not.
 */
import { Type } from '@sinclair/typebox';
import { SiteInfoSchema, SiteSchema } from './site.js';

const Strict = { additionalProperties: false } as const;
const Uid = Type.Integer({ minimum: 1 });
const Phase = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]);
const Watts = Type.Number({ minimum: -10_000_000, maximum: 10_000_000 });
const Three = Type.Tuple([Watts, Watts, Watts]);

/** One averaged reading of a meter's per-phase active (W) and reactive (var) power. */
export const PhaseSnapshotSchema = Type.Object(
  { t: Type.Integer({ minimum: 0 }), p: Three, q: Three },
  Strict,
);

const StepSchema = Type.Object(
  { phase: Phase, before: PhaseSnapshotSchema, during: PhaseSnapshotSchema, after: PhaseSnapshotSchema },
  Strict,
);

export const SITE_REQUESTS = {
  'site.get': Type.Undefined(),
  /** The whole plan, saved only when all of it is right (the schema here, the library's checks in main). */
  'site.update': SiteSchema,
  /** A new site; `fromConfig` plans every configured device as it is set up now. */
  'site.create': Type.Object(
    {
      info: Type.Object(
        { ...Type.Partial(SiteInfoSchema).properties, name: SiteInfoSchema.properties.name },
        Strict,
      ),
      fromConfig: Type.Boolean(),
      /** Replace a site that is already there (otherwise refused, so nothing is lost by a slip). */
      replace: Type.Optional(Type.Boolean()),
    },
    Strict,
  ),
  /** A `.emssite` file's text; a bad file is refused with the path of its first wrong field. */
  'site.import': Type.Object(
    { text: Type.String({ minLength: 2, maxLength: 2_000_000 }), replace: Type.Optional(Type.Boolean()) },
    Strict,
  ),
  'site.export': Type.Undefined(),
  /** The plan against the wire: planned and configured addresses probed; with the remembered scans if asked. */
  'site.check': Type.Union([Type.Undefined(), Type.Object({ withScans: Type.Boolean() }, Strict)]),
  /** One job: the plan's settings written (with read-back) to every matching meter, found meters added. */
  'site.writePlan': Type.Undefined(),
  /** One load-step reading of a configured meter (the wizard keeps them until it evaluates). */
  'site.stepSnapshot': Type.Object({ uid: Uid }, Strict),
  'site.stepEvaluate': Type.Object(
    {
      uid: Uid,
      steps: Type.Array(StepSchema, { minItems: 1, maxItems: 3 }),
      /** The known load's power, W (2 kW when left out). */
      expectedW: Type.Optional(Type.Number({ minimum: 100, maximum: 100_000 })),
      /** Allowed deviation of the measured step, fraction (0.1 = ±10 %). */
      tolerance: Type.Optional(Type.Number({ minimum: 0.01, maximum: 0.5 })),
    },
    Strict,
  ),
  /**
   * The P1 meter and the main (grid) meter read together over a window (60 s when left out); the
   * verdict is kept for the report. The meters are found from the plan and configuration unless named.
   */
  'site.crossCheck': Type.Union([
    Type.Undefined(),
    Type.Object(
      {
        seconds: Type.Optional(Type.Integer({ minimum: 2, maximum: 600 })),
        mainUid: Type.Optional(Uid),
        p1Uid: Type.Optional(Uid),
      },
      Strict,
    ),
  ]),
  /** Hand-over: every configured meter's settings recorded as the baseline. */
  'site.baseline': Type.Undefined(),
  'site.drift': Type.Undefined(),
  /** The commissioning report as one self-contained HTML document (to show). */
  'site.report': Type.Undefined(),
  /** The same report printed to PDF (to save). */
  'site.reportPdf': Type.Undefined(),
  /** The demo plant's test load (a kettle on one conductor): only while the demo plant runs. */
  'site.demoLoad': Type.Object({ phase: Phase, watts: Type.Number({ minimum: 0, maximum: 20_000 }) }, Strict),
};
