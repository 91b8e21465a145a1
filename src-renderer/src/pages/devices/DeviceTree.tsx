import { useState } from 'react';
import type { TreeDevice } from '../../../../src-preload/contract/index.js';
import { formatAge, formatNumber, PROTOCOL_NAMES } from '../../components/format.js';
import { deviceStateText, deviceTone, sampleTone } from '../../components/status.js';
import { StatusDot } from '../../components/ui.js';
import { useNow, useStoreVersion, useValuesTick } from '../../state/store-context.js';
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

/** Devices → loads → signals, with a state dot and the age of the newest value on every row. */
export function DeviceTree({
  selected,
  onSelect,
  filter,
}: {
  selected: Selection;
  onSelect: (s: Selection) => void;
  filter: string;
}) {
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
    <div className="tree" role="tree" aria-label="Devices">
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
                aria-label={open ? 'Collapse' : 'Expand'}
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(d.uid);
                }}
              >
                {open ? '▾' : '▸'}
              </button>
              <StatusDot tone={deviceTone(st, d.enable)} title={deviceStateText(st, d.enable)} />
              <span className="tree-label">{d.label}</span>
              <span className="tag">{PROTOCOL_NAMES[d.protocol] ?? d.protocol}</span>
              <span className="tree-meta num" title="Age of the newest value">
                {d.enable ? formatAge(newest === null ? null : now - newest) : 'off'}
              </span>
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
                        aria-label={loadOpen ? 'Hide signals' : 'Show signals'}
                        onClick={(e) => {
                          e.stopPropagation();
                          flip(setOpenLoads, l.uid);
                        }}
                      >
                        {loadOpen ? '▾' : '▸'}
                      </button>
                      <span className="tree-label">{l.label}</span>
                      <span className="tree-meta">
                        load {l.index} · {l.signals.length} signals{l.enable ? '' : ' · disabled'}
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
