import type { FoundDevice } from '../../../../src-preload/contract/index.js';
import { formatNumber } from '../../components/format.js';
import { Empty, Notice } from '../../components/ui.js';
import { useAddFound } from './useAddFound.js';

export function FoundTable({ found }: { found: FoundDevice[] }) {
  const { action, added, add: addId } = useAddFound('discovery.add');
  if (!found.length) return <Empty>Nothing found yet.</Empty>;
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
            <th className="num">Unit</th>
            <th>Model</th>
            <th>Settings</th>
            <th>First values</th>
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
                  {f.serialNumber && <span className="muted small"> · s/n {f.serialNumber}</span>}
                  {f.note && <div className="muted small">{f.note}</div>}
                </td>
                <td className="mono">
                  {f.settings} <span className="muted small">{f.latencyMs} ms</span>
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
                    <span className="text-ok">Added as “{done}”</span>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-sm btn-primary"
                      disabled={f.kind !== 'meter' || action.busy}
                      title={
                        f.kind === 'meter'
                          ? undefined
                          : 'No library model matches this unit: add it by hand if you know the model'
                      }
                      onClick={() => void add(f)}
                    >
                      Add
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
