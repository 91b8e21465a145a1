import { useTranslation } from 'react-i18next';
import type { MbusFoundView } from '../../../../src-preload/contract/index.js';
import { formatNumber } from '../../components/format.js';
import { Empty, Notice } from '../../components/ui.js';
import { useAddFound } from './useAddFound.js';

export function MbusFoundTable({ found }: { found: MbusFoundView[] }) {
  const { t } = useTranslation();
  const { action, added, add: addId } = useAddFound('mbus.add');
  if (!found.length) return <Empty>{t('discovery.nothingYet')}</Empty>;
  const add = (f: MbusFoundView): Promise<void> => addId(f.id);
  return (
    <>
      {action.error && (
        <Notice tone="err" onClose={action.clear}>
          {action.error}
        </Notice>
      )}
      <table className="table" data-testid="mbus-found">
        <thead>
          <tr>
            <th className="num">{t('discovery.mbus.primary')}</th>
            <th>{t('discovery.mbus.secondary')}</th>
            <th>{t('discovery.mbus.manufacturer')}</th>
            <th>{t('discovery.mbus.medium')}</th>
            <th>{t('discovery.mbus.id')}</th>
            <th className="num">{t('discovery.mbus.baud')}</th>
            <th>{t('discovery.table.firstValues')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {found.map((f) => {
            const done = added.get(f.id);
            return (
              <tr key={f.id} data-primary={f.primaryAddress ?? ''}>
                <td className="num">{f.primaryAddress ?? '—'}</td>
                <td className="mono">{f.secondaryAddress ?? '—'}</td>
                <td>{f.manufacturer ?? '—'}</td>
                <td>
                  {f.medium ?? '—'}
                  {f.problem && <div className="text-warn small">{f.problem}</div>}
                </td>
                <td className="mono">{f.meterId ?? '—'}</td>
                <td className="num">{f.baud}</td>
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
                      disabled={!f.readable || action.busy}
                      title={f.readable ? undefined : t('discovery.mbus.unreadable')}
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
