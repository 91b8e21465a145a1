import { useCallback, useMemo, useState } from 'react';

export interface Action {
  busy: boolean;
  error: string | null;
  clear: () => void;
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
}

/** Runs an engine action and keeps its error in words for the page to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const clear = useCallback(() => setError(null), []);
  const run = useCallback(async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return useMemo(() => ({ busy, error, clear, run }), [busy, error, clear, run]);
}
