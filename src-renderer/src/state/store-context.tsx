import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useApi } from '../api/api.js';
import { EngineStore } from './engine-store.js';

const StoreContext = createContext<EngineStore | null>(null);

export function StoreProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => new EngineStore(api));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): EngineStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useStore outside StoreProvider');
  return s;
}

/** Re-renders when the tree, the engine info or a device state changes. */
export function useStoreVersion(): EngineStore {
  const s = useStore();
  useSyncExternalStore(s.subscribe, s.getVersion);
  return s;
}

/** Re-renders at most every `everyMs` while samples arrive (tables; charts draw on their own). */
export function useValuesTick(everyMs = 1000): number {
  const s = useStore();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick(s.valuesVersion), everyMs);
    return () => clearInterval(id);
  }, [s, everyMs]);
  return tick;
}

/** The current time, refreshed every `everyMs`, for "3 s ago" labels. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
