import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TreeDevice } from '../../../../src-preload/contract/index.js';
import { formatAge, formatNumber, protocolName } from '../../components/format.js';
import { deviceStateText, deviceTone, sampleTone } from '../../components/status.js';
import { StatusDot } from '../../components/ui.js';
import { useNow, useStoreVersion, useValuesTick } from '../../state/store-context.js';
import { connectionText, modelText } from './address.js';
import type { Selection } from './selection.js';

function newestSample(d: TreeDevice, latest: Map<number, { t: number }>): number | null {
  let t: number | null = null;
  for (const l of d.loads)
    for (const s of l.signals) {
      const x = latest.get(s.uid)?.t;
      if (x !== undefined && (t === null || x > t)) t = x;
    }
  return t;
}

/**
 * Devices → loads → signals, with a state dot and the age of the newest value on every row; each
 * device names its model and where it is reached, so two meters of one kind are told apart at a glance.
 */
export function DeviceTree({
  selected,
  onSelect,
  filter,
}: {
  selected: Selection;
  onSelect: (s: Selection) => void;
  filter: string;
}) {
  const { t } = useTranslation();
  const store = useStoreVersion();
  useValuesTick(1000);
  const now = useNow(1000);
  // Devices start open (their loads show), loads start closed (their signals show on demand).
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const [openLoads, setOpenLoads] = useState<Set<number>>(new Set());
  const flip = (set: (f: (c: Set<number>) => Set<number>) => void, uid: number): void =>
    set((c) => {
      const n = new Set(c);
      if (n.has(uid)) n.delete(uid);
      else n.add(uid);
      return n;
    });
  const toggle = (uid: number): void => flip(setCollapsed, uid);
  const q = filter.trim().toLowerCase();
  const isSel = (kind: string, uid: number): boolean =>
    selected !== null && selected.kind === kind && 'uid' in selected && selected.uid === uid;

  return (
    <div className="tree" role="tree" aria-label={t('devices.title')}>
      {store.tree.map((d) => {
        const st = store.status.get(d.uid);
        const newest = newestSample(d, store.latest);
        const open = !collapsed.has(d.uid);
        return (
          <div
            key={d.uid}
            role="treeitem"
            aria-expanded={open}
            aria-selected={isSel('device', d.uid)}
            data-testid="tree-device"
          >
            <div
              className={`tree-row tree-device ${isSel('device', d.uid) ? 'selected' : ''} ${d.enable ? '' : 'disabled'}`}
              onClick={() => onSelect({ kind: 'device', uid: d.uid })}
            >
              <button
                type="button"
                className="twisty"
                aria-label={open ? t('devices.tree.collapse') : t('devices.tree.expand')}
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(d.uid);
                }}
              >
                {open ? '▾' : '▸'}
              </button>
              <StatusDot tone={deviceTone(st, d.enable)} title={deviceStateText(st, d.enable)} />
              <span className="tree-label">{d.label}</span>
              <span className="tag">{protocolName(d.protocol)}</span>
              <span className="tree-meta num" title={t('devices.tree.age')}>
                {d.enable ? formatAge(newest === null ? null : now - newest) : t('devices.tree.off')}
              </span>
            </div>
            <div
              className="tree-sub"
              data-testid="tree-device-sub"
              onClick={() => onSelect({ kind: 'device', uid: d.uid })}
            >
              {modelText(d, store.models) && <span className="tree-model">{modelText(d, store.models)}</span>}
              <span className="tree-address mono">{connectionText(d)}</span>
            </div>
            {open &&
              d.loads.map((l) => {
                const signals = l.signals.filter(
                  (s) => !q || s.name.toLowerCase().includes(q) || s.key.includes(q),
                );
                const loadOpen = q ? signals.length > 0 : openLoads.has(l.uid);
                return (
                  <div key={l.uid} role="group">
                    <div
                      className={`tree-row tree-load ${isSel('load', l.uid) ? 'selected' : ''} ${l.enable ? '' : 'disabled'}`}
                      onClick={() => onSelect({ kind: 'load', uid: l.uid })}
                      data-testid="tree-load"
                    >
                      <button
                        type="button"
                        className="twisty"
                        aria-label={loadOpen ? t('devices.tree.hideSignals') : t('devices.tree.showSignals')}
                        onClick={(e) => {
                          e.stopPropagation();
                          flip(setOpenLoads, l.uid);
                        }}
                      >
                        {loadOpen ? '▾' : '▸'}
                      </button>
                      <span className="tree-label">{l.label}</span>
                      <span className="tree-meta">
                        {t('devices.tree.loadMeta', { index: l.index, count: l.signals.length })}
                        {l.enable ? '' : ` · ${t('common.state.disabled')}`}
                      </span>
                    </div>
                    {loadOpen &&
                      signals.map((s) => {
                        const v = store.latest.get(s.uid);
                        const age = v ? now - v.t : Infinity;
                        return (
                          <div
                            key={s.uid}
                            className={`tree-row tree-signal ${isSel('signal', s.uid) ? 'selected' : ''} ${s.enable ? '' : 'disabled'}`}
                            onClick={() => onSelect({ kind: 'signal', uid: s.uid })}
                            data-testid="tree-signal"
                            data-uid={s.uid}
                            data-key={s.key}
                          >
                            <StatusDot tone={s.enable ? sampleTone(v?.s, age, d.pollMs) : 'idle'} />
                            <span className="tree-label">{s.name}</span>
                            <span className="tree-value num">
                              {formatNumber(v?.v)} <span className="unit">{s.unit}</span>
                            </span>
                          </div>
                        );
                      })}
                  </div>
                );
              })}
          </div>
        );
      })}
    </div>
  );
}
