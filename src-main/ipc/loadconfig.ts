import type { ConfigWriteReport, DeviceCheck, LoadConfigView } from '../../src-preload/contract/index.js';
import { CommissioningError } from '../commissioning/service.js';
import { ConfigValueError } from '../commissioning/config-values.js';
import type { CallContext, HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';

/** Commissioning failures the technician can act on keep their words; the code says what kind. */
function translate(e: unknown): never {
  if (e instanceof CommissioningError)
    throw new HandlerError(
      e.code === 'not-found' ? 'not_found' : e.code === 'busy' ? 'conflict' : 'bad_request',
      e.message,
    );
  if (e instanceof ConfigValueError) throw new HandlerError('bad_request', e.message);
  throw e;
}

/** Who the audit log of meter writes names: the signed-in account, or the desktop user. */
const who = (call: CallContext): string => call.caller?.username ?? 'desktop';

/**
 * Meter settings of a load (form descriptors, current values, writes with read-back) and the wiring
 * check of a device: the engine's commissioning functions, mapped onto the contract's views.
 */
export function loadConfigHandlers(
  ctx: HostContext,
): Pick<Handlers, 'loadconfig.read' | 'loadconfig.write' | 'device.check'> {
  const { engine } = ctx;
  return {
    'loadconfig.read': async ({ lid }): Promise<LoadConfigView> => {
      const c = await engine.readLoadConfig(lid).catch(translate);
      return {
        lid: c.lid,
        did: c.did,
        deviceLabel: c.deviceLabel,
        model: c.model,
        message: c.message,
        readAt: c.readAt,
        fields: c.fields.map((f) => ({
          key: f.key,
          label: f.label,
          kind: f.kind,
          unit: f.unit,
          choices: f.choices,
          min: f.min,
          max: f.max,
          step: f.step,
          note: f.note,
          uncertain: f.uncertain,
          value: f.value,
          readError: f.readError,
        })),
      };
    },
    'loadconfig.write': async ({ lid, values }, call): Promise<ConfigWriteReport> => {
      const r = await engine.writeLoadConfig(lid, values, who(call)).catch(translate);
      ctx.events.emit('config.changed', { reason: 'meter settings written' });
      return {
        lid: r.lid,
        ok: r.ok,
        message: r.message,
        results: r.results.map((x) => ({
          key: x.key,
          label: x.label,
          old: x.old,
          requested: x.requested,
          readBack: x.readBack,
          outcome: x.outcome,
          message: x.message,
        })),
        resolved: r.resolved,
      };
    },
    'device.check': async ({ uid }): Promise<DeviceCheck> => {
      const r = await engine.checkDevice(uid).catch(translate);
      return {
        uid,
        ok: r.ok,
        answered: r.answered,
        summary: r.summary,
        findings: r.findings.map((f) => ({ severity: f.severity, message: f.message, fix: f.fix })),
        durationMs: Math.round(r.durationMs),
      };
    },
  };
}
