import { useTranslation } from 'react-i18next';
import type { FoundDevice } from '../../../../src-preload/contract/index.js';
import { formatNumber } from '../../components/format.js';
import { Empty, Notice } from '../../components/ui.js';
import { useAddFound } from './useAddFound.js';

export function FoundTable({ found }: { found: FoundDevice[] }) {
  const { t } = useTranslation();
  const { action, added, add: addId } = useAddFound('discovery.add');
  if (!found.length) return <Empty>{t('discovery.nothingYet')}</Empty>;
  const add = (f: FoundDevice): Promise<void> => addId(f.id);
  return (
    <>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <table className="table" data-testid="found">
        <thead>
          <tr>
            <th className="num">{t('discovery.table.unit')}</th>
            <th>{t('devices.device.model')}</th>
            <th>{t('discovery.table.settings')}</th>
            <th>{t('discovery.table.firstValues')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {found.map((f) => {
            const done = added.get(f.id);
            return (
              <tr key={f.id} data-unit={f.unit}>
                <td className="num">{f.unit}</td>
                <td>
                  {f.modelName}
                  {f.serialNumber && (
                    <span className="muted small">
                      {' '}
                      · {t('discovery.table.serial', { sn: f.serialNumber })}
                    </span>
                  )}
                  {f.note && <div className="muted small">{f.note}</div>}
                </td>
                <td className="mono">
                  {f.settings} <span className="muted small">{t('common.time.ms', { n: f.latencyMs })}</span>
                </td>
                <td className="small">
                  {f.firstValues.length
                    ? f.firstValues.map((v) => (
                        <span key={v.key} className="kv-chip">
                          {v.name} <b className="num">{formatNumber(v.value)}</b> {v.unit}
                        </span>
                      ))
                    : '—'}
                </td>
                <td className="row-actions">
                  {done ? (
                    <span className="text-ok">{t('common.addedAs', { label: done })}</span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-sm btn-primary"
                      disabled={f.kind !== 'meter' || action.busy}
                      title={f.kind === 'meter' ? undefined : t('discovery.table.noModel')}
                      onClick={() => void add(f)}
                    >
                      {t('common.add')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
