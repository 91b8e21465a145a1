import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, PageHeader } from '../../components/ui.js';
import { useStoreVersion } from '../../state/store-context.js';
import { AddDeviceForm } from './AddDeviceForm.js';
import { DeviceDetail } from './DeviceDetail.js';
import { DeviceTree } from './DeviceTree.js';
import { LoadDetail } from './LoadDetail.js';
import type { Selection } from './selection.js';
import { SignalDetail } from './SignalDetail.js';

export function DevicesPage({ onPlot }: { onPlot: (uids: number[]) => void }) {
  const { t } = useTranslation();
  const store = useStoreVersion();
  const [sel, setSel] = useState<Selection>(null);
  const [filter, setFilter] = useState('');
  return (
    <div className="page page-split">
      <div className="split-left">
        <PageHeader title={t('devices.title')}>
          <button type="button" className="btn btn-primary btn-sm" onClick={() => setSel({ kind: 'add' })}>
            {t('devices.add')}
          </button>
        </PageHeader>
        <input
          className="filter"
          type="search"
          placeholder={t('devices.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label={t('devices.filterLabel')}
        />
        {store.tree.length ? (
          <DeviceTree selected={sel} onSelect={setSel} filter={filter} />
        ) : (
          <Empty>{t('devices.none')}</Empty>
        )}
      </div>
      <div className="split-right">
        {sel?.kind === 'device' && (
          <DeviceDetail uid={sel.uid} onRemoved={() => setSel(null)} onSelect={setSel} />
        )}
        {sel?.kind === 'load' && <LoadDetail uid={sel.uid} onPlot={onPlot} />}
        {sel?.kind === 'signal' && <SignalDetail uid={sel.uid} onPlot={onPlot} />}
        {sel?.kind === 'add' && <AddDeviceForm onAdded={(uid) => setSel({ kind: 'device', uid })} />}
        {!sel && <Empty>{t('devices.select')}</Empty>}
      </div>
    </div>
  );
}
