import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  PlannedBus,
  PlannedDevice,
  Site,
  SiteModelView,
} from '../../../../src-preload/contract/index.js';
import { Field, Section } from '../../components/ui.js';
import {
  BUS_KINDS,
  busOfKind,
  compact,
  modelForBus,
  newDevice,
  numberOrUndefined,
  ROLES,
  SYSTEMS,
} from './plan-draft.js';

/** The site's details and its planned devices, edited as one draft and saved whole. */
export function PlanEditor({
  draft,
  models,
  onChange,
}: {
  draft: Site;
  models: SiteModelView[];
  onChange: (s: Site) => void;
}) {
  const { t } = useTranslation();
  const info = draft.site;
  const setInfo = (k: keyof Site['site'], v: string): void =>
    onChange({ ...draft, site: { ...info, [k]: v } });
  const setDevice = (i: number, d: PlannedDevice): void =>
    onChange({ ...draft, devices: draft.devices.map((x, j) => (j === i ? compact(d) : x)) });
  const firstModbus = models[0]?.id ?? '';
  return (
    <>
      <Section title={t('site.details.title')}>
        <div className="form-grid">
          {(['name', 'address', 'customer', 'installer'] as const).map((k) => (
            <Field key={k} label={t(`site.details.${k}`)}>
              <input value={info[k]} onChange={(e) => setInfo(k, e.target.value)} />
            </Field>
          ))}
          <Field label={t('site.details.notes')}>
            <textarea rows={2} value={info.notes} onChange={(e) => setInfo('notes', e.target.value)} />
          </Field>
        </div>
      </Section>
      <Section
        title={t('site.plan.title', { count: draft.devices.length })}
        actions={
          <button
            type="button"
            className="btn btn-sm"
            onClick={() =>
              onChange({
                ...draft,
                devices: [
                  ...draft.devices,
                  newDevice(
                    draft.devices[0],
                    firstModbus,
                    t('site.plan.newLabel', { n: draft.devices.length + 1 }),
                  ),
                ],
              })
            }
          >
            {t('site.plan.add')}
          </button>
        }
      >
        <div className="table-scroll">
          <table className="table" data-testid="planned-table">
            <thead>
              <tr>
                <th>{t('site.plan.label')}</th>
                <th>{t('site.plan.model')}</th>
                <th>{t('site.plan.bus')}</th>
                <th>{t('site.plan.address')}</th>
                <th>{t('site.plan.role')}</th>
                <th>{t('site.plan.ctRatio')}</th>
                <th>{t('site.plan.system')}</th>
                <th>{t('site.plan.settings')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.devices.map((d, i) => (
                <PlannedRow
                  key={i}
                  d={d}
                  models={models}
                  firstModbus={firstModbus}
                  onChange={(x) => setDevice(i, x)}
                  onDuplicate={() =>
                    onChange({
                      ...draft,
                      devices: [
                        ...draft.devices,
                        { ...d, label: t('site.plan.copyOf', { label: d.label }).slice(0, 80) },
                      ],
                    })
                  }
                  onRemove={() => onChange({ ...draft, devices: draft.devices.filter((_, j) => j !== i) })}
                />
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}

function PlannedRow({
  d,
  models,
  firstModbus,
  onChange,
  onDuplicate,
  onRemove,
}: {
  d: PlannedDevice;
  models: SiteModelView[];
  firstModbus: string;
  onChange: (d: PlannedDevice) => void;
  onDuplicate: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const modbus = d.bus.kind === 'serial' || d.bus.kind === 'tcp';
  const model = models.find((m) => m.id === d.model);
  const setBus = (b: PlannedBus): void => onChange({ ...d, bus: b });
  return (
    <tr data-testid="planned-row">
      <td>
        <input
          aria-label={t('site.plan.label')}
          value={d.label}
          onChange={(e) => onChange({ ...d, label: e.target.value })}
        />
      </td>
      <td>
        {modbus ? (
          <select
            aria-label={t('site.plan.model')}
            value={d.model}
            onChange={(e) =>
              onChange({ ...d, model: e.target.value, settings: undefined, ctRatio: undefined })
            }
          >
            {!model && <option value={d.model}>{d.model}</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.vendor} {m.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">{d.bus.kind === 'mbus' ? 'M-Bus' : 'P1'}</span>
        )}
      </td>
      <td>
        <BusCell
          bus={d.bus}
          onChange={(b) =>
            b.kind === d.bus.kind
              ? setBus(b)
              : onChange(
                  compact({
                    ...d,
                    bus: b,
                    model: modelForBus(b.kind, d.model, firstModbus),
                    unit: b.kind === 'serial' || b.kind === 'tcp' ? (d.unit ?? 1) : undefined,
                    mbusAddress: b.kind === 'mbus' ? (d.mbusAddress ?? 0) : undefined,
                    ctRatio: b.kind === 'serial' || b.kind === 'tcp' ? d.ctRatio : undefined,
                    settings: b.kind === 'serial' || b.kind === 'tcp' ? d.settings : undefined,
                  }),
                )
          }
        />
      </td>
      <td>
        {modbus ? (
          <input
            className="narrow"
            aria-label={t('site.plan.unit')}
            inputMode="numeric"
            value={d.unit ?? ''}
            onChange={(e) => onChange({ ...d, unit: numberOrUndefined(e.target.value) })}
          />
        ) : d.bus.kind === 'mbus' ? (
          <input
            className="narrow"
            aria-label={t('site.plan.mbusAddress')}
            value={d.mbusAddress ?? ''}
            onChange={(e) => {
              const v = e.target.value.trim();
              onChange({ ...d, mbusAddress: /^\d{8}$/.test(v) ? v : numberOrUndefined(v) });
            }}
          />
        ) : null}
      </td>
      <td>
        <select
          aria-label={t('site.plan.role')}
          value={d.role}
          onChange={(e) => onChange({ ...d, role: e.target.value as PlannedDevice['role'] })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`site.role.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {model?.hasCtRatio && (
          <input
            className="narrow"
            aria-label={t('site.plan.ctRatio')}
            inputMode="decimal"
            value={d.ctRatio ?? ''}
            onChange={(e) => onChange({ ...d, ctRatio: numberOrUndefined(e.target.value) })}
          />
        )}
      </td>
      <td>
        <select
          aria-label={t('site.plan.system')}
          value={d.system ?? ''}
          onChange={(e) =>
            onChange({ ...d, system: (e.target.value || undefined) as PlannedDevice['system'] })
          }
        >
          <option value="">{t('site.plan.systemAny')}</option>
          {SYSTEMS.filter((s) => !model || model.systems.includes(s)).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </td>
      <td>{model && <SettingsCell d={d} model={model} onChange={onChange} />}</td>
      <td className="nowrap">
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDuplicate}>
          {t('site.plan.duplicate')}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRemove}>
          {t('common.remove')}
        </button>
      </td>
    </tr>
  );
}

function BusCell({ bus, onChange }: { bus: PlannedBus; onChange: (b: PlannedBus) => void }) {
  const { t } = useTranslation();
  return (
    <div className="inline-fields">
      <select
        aria-label={t('site.plan.busKind')}
        value={bus.kind}
        onChange={(e) => onChange(busOfKind(e.target.value as PlannedBus['kind'], bus))}
      >
        {BUS_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`site.bus.${k}`)}
          </option>
        ))}
      </select>
      {bus.kind === 'tcp' ? (
        <>
          <input
            aria-label={t('site.plan.host')}
            value={bus.host}
            onChange={(e) => onChange({ ...bus, host: e.target.value })}
          />
          <input
            className="narrow"
            aria-label={t('site.plan.tcpPort')}
            inputMode="numeric"
            value={bus.port}
            onChange={(e) => onChange({ ...bus, port: Number(e.target.value) || 0 })}
          />
        </>
      ) : (
        <input
          aria-label={t('site.plan.port')}
          value={bus.port}
          onChange={(e) => onChange({ ...bus, port: e.target.value })}
        />
      )}
      {(bus.kind === 'serial' || bus.kind === 'mbus') && (
        <input
          className="narrow"
          aria-label={t('site.plan.baud')}
          inputMode="numeric"
          value={bus.baud}
          onChange={(e) => onChange({ ...bus, baud: Number(e.target.value) || 0 })}
        />
      )}
      {bus.kind === 'serial' && (
        <select
          aria-label={t('site.plan.parity')}
          value={bus.parity}
          onChange={(e) => onChange({ ...bus, parity: e.target.value as 'none' | 'even' | 'odd' })}
        >
          {(['none', 'even', 'odd'] as const).map((p) => (
            <option key={p} value={p}>
              {t(`site.parity.${p}`)}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** The model's other settings: each one planned shows with its value; one more is added from a list. */
function SettingsCell({
  d,
  model,
  onChange,
}: {
  d: PlannedDevice;
  model: SiteModelView;
  onChange: (d: PlannedDevice) => void;
}) {
  const { t } = useTranslation();
  const [pick, setPick] = useState('');
  const settings = d.settings ?? {};
  const set = (key: string, v: number | undefined): void => {
    const next = { ...settings };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange({ ...d, settings: Object.keys(next).length ? next : undefined });
  };
  const free = model.settings.filter((s) => !(s.key in settings));
  return (
    <div className="stack-sm">
      {Object.entries(settings).map(([key, value]) => {
        const s = model.settings.find((x) => x.key === key);
        return (
          <div key={key} className="inline-fields">
            <span className="small">{s?.label ?? key}</span>
            {s?.choices ? (
              <select aria-label={s.label} value={value} onChange={(e) => set(key, Number(e.target.value))}>
                {s.choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                className="narrow"
                aria-label={s?.label ?? key}
                inputMode="decimal"
                value={value}
                onChange={(e) => set(key, numberOrUndefined(e.target.value) ?? 0)}
              />
            )}
            {s?.unit && <span className="muted small">{s.unit}</span>}
            <button
              type="button"
              className="link"
              aria-label={t('common.remove')}
              onClick={() => set(key, undefined)}
            >
              ×
            </button>
          </div>
        );
      })}
      {free.length > 0 && (
        <select
          aria-label={t('site.plan.addSetting')}
          value={pick}
          onChange={(e) => {
            const s = model.settings.find((x) => x.key === e.target.value);
            setPick('');
            if (s) set(s.key, s.choices?.[0]?.value ?? s.min ?? 0);
          }}
        >
          <option value="">{t('site.plan.addSetting')}</option>
          {free.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
