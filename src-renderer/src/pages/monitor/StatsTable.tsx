import type { UnitStatsView } from '../../../../src-preload/contract/index.js';
import { Empty } from '../../components/ui.js';

export function StatsTable({ stats }: { stats: UnitStatsView[] }) {
  if (!stats.length) return <Empty>No transactions yet.</Empty>;
  return (
    <table className="table" data-testid="monitor-stats">
      <thead>
        <tr>
          <th>Device</th>
          <th>Bus</th>
          <th className="num">Unit</th>
          <th className="num">Requests</th>
          <th className="num">Errors</th>
          <th className="num">Error rate</th>
          <th className="num">Timeouts</th>
          <th className="num">CRC</th>
          <th className="num">Exceptions</th>
          <th className="num">Wrong unit</th>
          <th className="num">Mean ms</th>
          <th className="num">Max ms</th>
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => {
          const rate = s.requests ? (100 * s.errors) / s.requests : 0;
          return (
            <tr key={`${s.bus}|${s.unit}`}>
              <td>{s.device ?? <span className="muted">—</span>}</td>
              <td className="mono small">{s.bus}</td>
              <td className="num">{s.unit}</td>
              <td className="num">{s.requests}</td>
              <td className={`num ${s.errors ? 'text-err' : ''}`}>{s.errors}</td>
              <td className={`num ${rate > 5 ? 'text-err' : rate > 0 ? 'text-warn' : ''}`}>
                {rate.toFixed(1)} %
              </td>
              <td className="num">{s.timeouts}</td>
              <td className="num">{s.crcErrors}</td>
              <td className="num">{s.exceptions}</td>
              <td className="num">{s.wrongUnit}</td>
              <td className="num">{s.meanMs.toFixed(1)}</td>
              <td className="num">{s.maxMs.toFixed(1)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
