import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  CatalogueEntryView,
  MapPick,
  MapTarget,
  PickValueView,
  ProbeRowView,
  ProbeView,
} from '../../../../src-preload/contract/index.js';
import { call, useApi } from '../../api/api.js';
import { Empty, Field, Notice, PageHeader, Section } from '../../components/ui.js';
import { useAction } from '../../components/useAction.js';
import { buildModel, pickFromRow, SYSTEMS, type MapMeta, type Pick, type WordOrder } from './map-model.js';

/** The four word/byte orders, each with its locale key. */
const ORDERS = [
  { value: 'msw', label: 'mapping.orderMsw' },
  { value: 'lsw', label: 'mapping.orderLsw' },
  { value: 'msw-byteswap', label: 'mapping.orderMswSwapped' },
  { value: 'lsw-byteswap', label: 'mapping.orderLswSwapped' },
] as const satisfies readonly { value: WordOrder; label: string }[];

/** Each wiring system's locale key. */
const SYSTEM_LABEL = {
  '1P': 'mapping.system.1P',
  '2P': 'mapping.system.2P',
  '3P': 'mapping.system.3P',
  '3P.N': 'mapping.system.3PN',
} as const;

/** The probe table's decoding columns: type names, the same in every language. */
const DECODINGS = [
  'uint16',
  'int16',
  'float32 ABCD',
  'float32 CDAB',
  'float32 BADC',
  'float32 DCBA',
  'int32 ABCD',
  'int32 CDAB',
] as const;

/** How often picked registers are read again while the page is open. */
const LIVE_MS = 1000;

/**
 * A register map for a device nobody described: read a range, see every plausible decoding, pick
 * registers with their type, order, scale and catalogue signal, watch them decode live, save the map
 * as a model file (checked by the library's schema, usable at once), export and import it.
 */
export function MapBuilderPage() {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [kind, setKind] = useState<'tcp' | 'rtu'>('tcp');
  const [host, setHost] = useState('127.0.0.1');
  const [tcpPort, setTcpPort] = useState('502');
  const [serial, setSerial] = useState('');
  const [baud, setBaud] = useState('9600');
  const [parity, setParity] = useState<'none' | 'even' | 'odd'>('none');
  const [unit, setUnit] = useState('1');
  const [fc, setFc] = useState<3 | 4>(3);
  const [start, setStart] = useState('0');
  const [count, setCount] = useState('50');
  const [probe, setProbe] = useState<ProbeView | null>(null);
  const [picks, setPicks] = useState<Pick[]>([]);
  const [live, setLive] = useState<PickValueView[]>([]);
  const [catalogue, setCatalogue] = useState<CatalogueEntryView[]>([]);
  const [meta, setMeta] = useState<MapMeta>({
    id: 'site-meter',
    vendor: '',
    name: '',
    idRegister: '',
    idValue: '',
    systems: ['3P.N'],
    maxRegistersPerRead: '50',
  });
  const [saved, setSaved] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void call(api, 'mapping.catalogue').then(setCatalogue);
  }, [api]);

  const target = useMemo((): MapTarget | null => {
    const u = Number(unit);
    if (!Number.isInteger(u)) return null;
    if (kind === 'tcp') {
      const p = Number(tcpPort);
      return host.trim() && Number.isInteger(p) ? { host: host.trim(), port: p, unit: u } : null;
    }
    return serial.trim() ? { port: serial.trim(), baud: Number(baud), parity, stopBits: 1, unit: u } : null;
  }, [kind, host, tcpPort, serial, baud, parity, unit]);

  // Live decode: every picked register read again each second, so an edit shows its effect at once.
  const wire = useMemo(
    () =>
      picks.map((p): MapPick => ({
        register: p.register,
        fc: p.fc,
        type: p.type,
        wordOrder: p.wordOrder,
        scale: p.scale,
      })),
    [picks],
  );
  useEffect(() => {
    if (!target || !wire.length || wire.some((p) => !Number.isFinite(p.scale) || p.scale <= 0)) return;
    let stop = false;
    const tick = async (): Promise<void> => {
      try {
        const v = await call(api, 'mapping.read', { target, picks: wire });
        if (!stop) setLive(v);
      } catch {
        // A failed read shows as no value on the next successful one; the probe reports errors.
      }
    };
    void tick();
    const t = setInterval(() => void tick(), LIVE_MS);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [api, target, wire]);

  const readRange = async (): Promise<void> => {
    if (!target) return;
    const r = await action.run(() =>
      call(api, 'mapping.probe', { target, fc, start: Number(start), count: Number(count) }),
    );
    if (r) setProbe(r);
  };
  const addPick = (row: ProbeRowView): void => {
    setPicks((cur) => [...cur, pickFromRow(row, fc, catalogue)]);
    if (!meta.idRegister) setMeta((m) => ({ ...m, idRegister: String(row.address) }));
  };
  const edit = (i: number, patch: Partial<Pick>): void =>
    setPicks((cur) => cur.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const save = async (): Promise<void> => {
    setSaved(null);
    const model = buildModel(meta, picks, fc, kind, probe?.endpoint ?? '', unitOf);
    const r = await action.run(() => call(api, 'mapping.save', { model }));
    if (r) setSaved(r.id);
  };
  const addDevice = async (): Promise<void> => {
    if (!saved || !target) return;
    const d = await action.run(() =>
      call(api, 'device.add', { model: saved, connection: { ...target, model: saved } }),
    );
    if (d) setAdded(d.label);
  };
  const exportFile = async (): Promise<void> => {
    if (!saved) return;
    const f = await action.run(() => call(api, 'mapping.export', { id: saved }));
    if (!f) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([f.json], { type: 'application/json' }));
    a.download = f.fileName;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const importFile = async (file: File): Promise<void> => {
    const json = await file.text();
    const r = await action.run(() => call(api, 'mapping.import', { json }));
    if (r) setSaved(r.id);
  };

  const unitOf = (key: string): string => catalogue.find((c) => c.key === key)?.unit ?? '';

  return (
    <>
      <PageHeader title={t('common.nav.mapping')} />
      <Section title={t('mapping.device')}>
        <div className="scan-grid">
          <Field label={t('mapping.connection')}>
            <select
              aria-label={t('mapping.connection')}
              value={kind}
              onChange={(e) => setKind(e.target.value as 'tcp' | 'rtu')}
            >
              <option value="tcp">Modbus TCP</option>
              <option value="rtu">{t('mapping.rtu')}</option>
            </select>
          </Field>
          {kind === 'tcp' ? (
            <>
              <Field label={t('mapping.host')}>
                <input
                  aria-label={t('mapping.host')}
                  value={host}
                  onChange={(e) => setHost(e.target.value)}
                />
              </Field>
              <Field label={t('mapping.tcpPort')}>
                <input
                  aria-label={t('mapping.tcpPort')}
                  value={tcpPort}
                  onChange={(e) => setTcpPort(e.target.value)}
                />
              </Field>
            </>
          ) : (
            <>
              <Field label={t('mapping.serialPort')}>
                <input
                  aria-label={t('mapping.serialPort')}
                  value={serial}
                  onChange={(e) => setSerial(e.target.value)}
                />
              </Field>
              <Field label={t('mapping.baud')}>
                <input
                  aria-label={t('mapping.baud')}
                  value={baud}
                  onChange={(e) => setBaud(e.target.value)}
                />
              </Field>
              <Field label={t('mapping.parity')}>
                <select
                  aria-label={t('mapping.parity')}
                  value={parity}
                  onChange={(e) => setParity(e.target.value as typeof parity)}
                >
                  <option value="none">{t('mapping.parityNone')}</option>
                  <option value="even">{t('mapping.parityEven')}</option>
                  <option value="odd">{t('mapping.parityOdd')}</option>
                </select>
              </Field>
            </>
          )}
          <Field label={t('mapping.unit')}>
            <input aria-label={t('mapping.unit')} value={unit} onChange={(e) => setUnit(e.target.value)} />
          </Field>
          <Field label={t('mapping.function')}>
            <select
              aria-label={t('mapping.function')}
              value={fc}
              onChange={(e) => setFc(Number(e.target.value) as 3 | 4)}
            >
              <option value={3}>{t('mapping.fcHolding')}</option>
              <option value={4}>{t('mapping.fcInput')}</option>
            </select>
          </Field>
          <Field label={t('mapping.firstRegister')}>
            <input
              aria-label={t('mapping.firstRegister')}
              value={start}
              onChange={(e) => setStart(e.target.value)}
            />
          </Field>
          <Field label={t('mapping.registerCount')}>
            <input
              aria-label={t('mapping.registerCount')}
              value={count}
              onChange={(e) => setCount(e.target.value)}
            />
          </Field>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!target || action.busy}
            onClick={() => void readRange()}
          >
            {t('mapping.readRange')}
          </button>
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
            {t('mapping.importMap')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            aria-label={t('mapping.mapFile')}
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importFile(f);
              e.target.value = '';
            }}
          />
        </div>
        {action.error && (
          <Notice tone="err" onClose={action.clear}>
            {action.error}
          </Notice>
        )}
      </Section>

      <Section title={t('mapping.registers')}>
        {!probe ? (
          <Empty>{t('mapping.noProbe')}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table mono small" data-testid="probe-table">
              <thead>
                <tr>
                  <th>{t('mapping.col.register')}</th>
                  <th>{t('mapping.col.hex')}</th>
                  {DECODINGS.map((d) => (
                    <th key={d}>{d}</th>
                  ))}
                  <th>{t('mapping.col.looksLike')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {probe.rows.map((r) => (
                  <tr key={r.address} data-register={r.address}>
                    <td>{r.address}</td>
                    <td>{r.word === null ? '—' : r.word.toString(16).padStart(4, '0')}</td>
                    <td>{r.uint16 ?? ''}</td>
                    <td>{r.int16 ?? ''}</td>
                    <td>{r.float32?.ABCD ?? ''}</td>
                    <td>{r.float32?.CDAB ?? ''}</td>
                    <td>{r.float32?.BADC ?? ''}</td>
                    <td>{r.float32?.DCBA ?? ''}</td>
                    <td>{r.int32?.ABCD ?? ''}</td>
                    <td>{r.int32?.CDAB ?? ''}</td>
                    <td>
                      {r.word === null
                        ? t('mapping.notRead')
                        : r.hints
                            .map(
                              (h) =>
                                `${t(`mapping.quantity.${h.quantity}`)} ${h.value} ${h.unit} (${h.as}${h.scale !== 1 ? ` ×${h.scale}` : ''})`,
                            )
                            .join('; ')}
                    </td>
                    <td>
                      {r.word !== null && (
                        <button type="button" className="btn btn-sm" onClick={() => addPick(r)}>
                          {t('mapping.pick')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section title={t('mapping.map')}>
        {!picks.length ? (
          <Empty>{t('mapping.noPicks')}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table small" data-testid="picks">
              <thead>
                <tr>
                  <th>{t('mapping.col.register')}</th>
                  <th>{t('mapping.col.function')}</th>
                  <th>{t('mapping.col.type')}</th>
                  <th>{t('mapping.col.wordOrder')}</th>
                  <th>{t('mapping.col.scale')}</th>
                  <th>{t('mapping.col.signal')}</th>
                  <th>{t('mapping.col.unit')}</th>
                  <th>{t('mapping.col.live')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {picks.map((p, i) => (
                  <tr key={i} data-pick={i}>
                    <td>
                      <input
                        aria-label={t('mapping.col.register')}
                        className="input-sm"
                        value={p.register}
                        onChange={(e) => edit(i, { register: Number(e.target.value) || 0 })}
                      />
                    </td>
                    <td>
                      <select
                        aria-label={t('mapping.function')}
                        value={p.fc}
                        onChange={(e) => edit(i, { fc: Number(e.target.value) as 3 | 4 })}
                      >
                        <option value={3}>3</option>
                        <option value={4}>4</option>
                      </select>
                    </td>
                    <td>
                      <select
                        aria-label={t('mapping.col.type')}
                        value={p.type}
                        onChange={(e) => edit(i, { type: e.target.value as Pick['type'] })}
                      >
                        {(['uint16', 'int16', 'uint32', 'int32', 'float32'] as const).map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select
                        aria-label={t('mapping.col.wordOrder')}
                        value={p.wordOrder}
                        onChange={(e) => edit(i, { wordOrder: e.target.value as Pick['wordOrder'] })}
                      >
                        {ORDERS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {t(o.label)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={t('mapping.col.scale')}
                        className="input-sm"
                        value={p.scaleText}
                        onChange={(e) =>
                          edit(i, { scaleText: e.target.value, scale: Number(e.target.value) })
                        }
                      />
                    </td>
                    <td>
                      <select
                        aria-label={t('mapping.col.signal')}
                        value={p.key}
                        onChange={(e) => edit(i, { key: e.target.value })}
                      >
                        <option value="">{t('mapping.chooseSignal')}</option>
                        {catalogue.map((c) => (
                          <option key={c.key} value={c.key}>
                            {c.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{unitOf(p.key)}</td>
                    <td className="mono" data-testid="live-value">
                      {live[i] ? (live[i].value ?? live[i].error ?? '—') : '…'}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        onClick={() => setPicks((cur) => cur.filter((_, j) => j !== i))}
                      >
                        {t('common.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="scan-grid">
          <Field label={t('mapping.modelId')} hint={t('mapping.modelIdHint')}>
            <input
              aria-label={t('mapping.modelId')}
              value={meta.id}
              onChange={(e) => setMeta({ ...meta, id: e.target.value })}
            />
          </Field>
          <Field label={t('mapping.maker')}>
            <input
              aria-label={t('mapping.maker')}
              value={meta.vendor}
              onChange={(e) => setMeta({ ...meta, vendor: e.target.value })}
            />
          </Field>
          <Field label={t('mapping.modelName')}>
            <input
              aria-label={t('mapping.modelName')}
              value={meta.name}
              onChange={(e) => setMeta({ ...meta, name: e.target.value })}
            />
          </Field>
          <Field label={t('mapping.idRegister')} hint={t('mapping.idRegisterHint')}>
            <input
              aria-label={t('mapping.idRegister')}
              value={meta.idRegister}
              onChange={(e) => setMeta({ ...meta, idRegister: e.target.value })}
            />
          </Field>
          <Field label={t('mapping.modelCode')}>
            <input
              aria-label={t('mapping.modelCode')}
              value={meta.idValue}
              onChange={(e) => setMeta({ ...meta, idValue: e.target.value })}
            />
          </Field>
          <Field label={t('mapping.maxRegisters')} hint={t('mapping.maxRegistersHint')}>
            <input
              aria-label={t('mapping.maxRegisters')}
              value={meta.maxRegistersPerRead}
              onChange={(e) => setMeta({ ...meta, maxRegistersPerRead: e.target.value })}
            />
          </Field>
          {/* Not a Field: that is a <label>, and each checkbox has its own. */}
          <div className="field" role="group" aria-label={t('mapping.systems')}>
            <span className="field-label">{t('mapping.systems')}</span>
            <div className="button-row">
              {SYSTEMS.map((x) => (
                <label key={x}>
                  <input
                    type="checkbox"
                    checked={meta.systems.includes(x)}
                    onChange={(e) =>
                      setMeta({
                        ...meta,
                        systems: e.target.checked
                          ? [...meta.systems, x]
                          : meta.systems.filter((y) => y !== x),
                      })
                    }
                  />{' '}
                  {t(SYSTEM_LABEL[x])}
                </label>
              ))}
            </div>
            <span className="field-hint">{t('mapping.systemsHint')}</span>
          </div>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!picks.length || action.busy}
            onClick={() => void save()}
          >
            {t('mapping.save')}
          </button>
          <button type="button" className="btn" disabled={!saved} onClick={() => void exportFile()}>
            {t('mapping.export')}
          </button>
          <button type="button" className="btn" disabled={!saved || !target} onClick={() => void addDevice()}>
            {t('mapping.addDevice')}
          </button>
        </div>
        {saved && <Notice tone="ok">{t('mapping.saved', { id: saved })}</Notice>}
        {added && <Notice tone="ok">{t('mapping.added', { label: added })}</Notice>}
      </Section>
    </>
  );
}
