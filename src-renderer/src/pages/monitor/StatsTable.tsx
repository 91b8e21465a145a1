import { useTranslation } from 'react-i18next';
import type { UnitStatsView } from '../../../../src-preload/contract/index.js';
import { formatFixed } from '../../components/format.js';
import { Empty } from '../../components/ui.js';

export function StatsTable({ stats }: { stats: UnitStatsView[] }) {
  const { t } = useTranslation();
  if (!stats.length) return <Empty>{t('monitor.noTransactions')}</Empty>;
  return (
    <table className="table" data-testid="monitor-stats">
      <thead>
        <tr>
          <th>{t('live.device')}</th>
          <th>{t('monitor.col.bus')}</th>
          <th className="num">{t('discovery.table.unit')}</th>
          <th className="num">{t('monitor.col.requests')}</th>
          <th className="num">{t('monitor.col.errors')}</th>
          <th className="num">{t('monitor.col.errorRate')}</th>
          <th className="num">{t('monitor.col.timeouts')}</th>
          <th className="num">{t('monitor.col.crc')}</th>
          <th className="num">{t('monitor.col.exceptions')}</th>
          <th className="num">{t('monitor.col.wrongUnit')}</th>
          <th className="num">{t('monitor.col.meanMs')}</th>
          <th className="num">{t('monitor.col.maxMs')}</th>
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
                {formatFixed(rate, 1)} %
              </td>
              <td className="num">{s.timeouts}</td>
              <td className="num">{s.crcErrors}</td>
              <td className="num">{s.exceptions}</td>
              <td className="num">{s.wrongUnit}</td>
              <td className="num">{formatFixed(s.meanMs, 1)}</td>
              <td className="num">{formatFixed(s.maxMs, 1)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
