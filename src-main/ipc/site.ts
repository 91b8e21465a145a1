import type { SiteModelView, SiteView } from '../../src-preload/contract/index.js';
import { SITE_FILE_EXTENSION } from '../../src-preload/contract/site.js';
import { describeConfig } from '../commissioning/config-fields.js';
import type { FoundDevice } from '../discovery/scan-types.js';
import type { Engine } from '../engine.js';
import { drift, takeBaseline } from '../site/drift.js';
import { evaluateLoadStep, stepSnapshot } from '../site/load-step-run.js';
import { CT_RATIO_KEY, SiteFileError } from '../site/site-file.js';
import { SiteError } from '../site/site-service.js';
import type { PlanCheckInput } from '../site/site-work.js';
import type { CallContext, HostContext } from './context.js';
import { scansOf } from './discovery-scans.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';
import { mbusScansOf } from './mbus-discovery.js';

type SiteHandlers = Pick<
  Handlers,
  | 'site.get'
  | 'site.update'
  | 'site.create'
  | 'site.import'
  | 'site.export'
  | 'site.check'
  | 'site.writePlan'
  | 'site.stepSnapshot'
  | 'site.stepEvaluate'
  | 'site.crossCheck'
  | 'site.baseline'
  | 'site.drift'
  | 'site.report'
  | 'site.reportPdf'
  | 'site.demoLoad'
>;

/** Site failures keep their words (a bad field names its JSON pointer); the code says what kind. */
function translate(e: unknown): never {
  if (e instanceof SiteFileError) throw new HandlerError('bad_request', e.message);
  if (e instanceof SiteError)
    throw new HandlerError(
      e.code === 'no-site' || e.code === 'not-found' ? 'not_found' : 'bad_request',
      e.message,
    );
  throw e;
}

const who = (call: CallContext): string => call.caller?.username ?? 'desktop';

/** The Modbus models a plan may name, with the settings the form offers for each. */
function models(engine: Engine): SiteModelView[] {
  return engine.library.all.map((m) => ({
    id: m.id,
    vendor: m.vendor,
    name: m.name,
    systems: [...m.systems],
    hasCtRatio: (m.config ?? []).some((c) => c.key === CT_RATIO_KEY),
    settings: (m.config ?? [])
      .filter((c) => !c.writeOnly && c.key !== CT_RATIO_KEY && c.key !== 'system_type')
      .map((c) => {
        const d = describeConfig(c);
        return { key: d.key, label: d.label, unit: d.unit, choices: d.choices, min: d.min, max: d.max };
      }),
  }));
}

function view(engine: Engine): SiteView {
  const base = engine.store.site.baseline();
  return {
    site: engine.sitePlan.get(),
    models: models(engine),
    baselineAt: base.length ? Math.min(...base.map((b) => b.t)) : null,
    baselineSettings: base.length,
  };
}

/** The finished scans main still remembers (RTU/TCP and M-Bus), newest first, one result per address. */
function rememberedScans(engine: Engine): PlanCheckInput {
  const seen = new Set<string>();
  const scan: FoundDevice[] = [];
  for (const e of scansOf(engine).finished())
    for (const f of e.found) {
      const key = JSON.stringify({ ...f.connection, model: undefined });
      if (seen.has(key)) continue;
      seen.add(key);
      scan.push(f);
    }
  const mbus = mbusScansOf(engine)
    .newestFirst()
    .filter((s) => !s.running)
    .map((s) => ({ port: s.port, found: s.found }));
  return { scan, mbus };
}

/**
 * The site: its plan (edited whole, imported and exported as a .emssite file), the plan against the
 * wire, the write-plan job, the load-step test, the P1 cross-check, the hand-over baseline and drift. The engine's site/
 * functions do the work; these map them onto the contract.
 */
export function siteHandlers(ctx: HostContext): SiteHandlers {
  const { engine, events } = ctx;
  const plan = engine.sitePlan;
  const refuseOverwrite = (replace: boolean | undefined): void => {
    const existing = plan.get();
    if (existing && !replace)
      throw new HandlerError(
        'conflict',
        `a site "${existing.site.name}" with ${existing.devices.length} planned device(s) exists; replace it, or export it first to keep it`,
      );
  };
  return {
    'site.get': () => view(engine),
    'site.update': (site) => {
      try {
        plan.save(site);
      } catch (e) {
        translate(e);
      }
      return view(engine);
    },
    'site.create': ({ info, fromConfig, replace }) => {
      refuseOverwrite(replace);
      try {
        plan.create(info, fromConfig);
      } catch (e) {
        translate(e);
      }
      return view(engine);
    },
    'site.import': ({ text, replace }) => {
      refuseOverwrite(replace);
      try {
        plan.importFile(text);
      } catch (e) {
        translate(e);
      }
      return view(engine);
    },
    'site.export': () => {
      try {
        const file = plan.exportFile();
        const name = file.site.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'site';
        return { fileName: `${name}${SITE_FILE_EXTENSION}`, text: `${JSON.stringify(file, null, 2)}\n` };
      } catch (e) {
        return translate(e);
      }
    },
    'site.check': (req) =>
      engine.site.checkPlan(req?.withScans ? rememberedScans(engine) : {}).catch(translate),
    'site.writePlan': async (_arg, call) => {
      const report = await engine.site.writePlan(who(call)).catch(translate);
      if (report.meters.some((m) => m.added)) events.emit('config.changed', { reason: 'site plan written' });
      return report;
    },
    'site.stepSnapshot': ({ uid }) => stepSnapshot(engine.site, uid).catch(translate),
    'site.stepEvaluate': ({ uid, steps, expectedW, tolerance }) =>
      evaluateLoadStep(engine.site, uid, steps, {
        ...(expectedW !== undefined ? { expectedW } : {}),
        ...(tolerance !== undefined ? { tolerance } : {}),
      }).catch(translate),
    'site.crossCheck': (req) => engine.siteCrossCheck(req ?? {}).catch(translate),
    'site.baseline': async () => {
      const rows = await takeBaseline(engine.site).catch(translate);
      return {
        at: rows.length ? Math.min(...rows.map((r) => r.t)) : Date.now(),
        meters: new Set(rows.map((r) => r.did)).size,
        settings: rows.length,
      };
    },
    'site.drift': async () => {
      const r = await drift(engine.site).catch(translate);
      if (r.baselineAt === null)
        throw new HandlerError('not_found', 'no baseline yet: take one at hand-over first');
      return r;
    },
    'site.report': async () => {
      const r = await engine.siteReport('html').catch(translate);
      if (r.format !== 'html') throw new HandlerError('failed', 'the report came back as PDF');
      return { fileName: r.fileName, html: r.html };
    },
    'site.reportPdf': async () => {
      const r = await engine.siteReport('pdf').catch(translate);
      if (r.format !== 'pdf') throw new HandlerError('failed', 'the report came back as HTML');
      return { fileName: r.fileName, base64: Buffer.from(r.pdf).toString('base64') };
    },
    'site.demoLoad': ({ phase, watts }) => {
      if (!ctx.demo.switchLoad(phase, watts))
        throw new HandlerError('unavailable', 'the demo plant is not running');
      return { switched: true };
    },
  };
}
