import { useState } from 'react';
import { call, useApi } from '../../api/api.js';
import { useAction } from '../../components/useAction.js';

/** Adds scan results to the configuration by id and remembers under which label each was added. */
export function useAddFound(channel: 'discovery.add' | 'mbus.add') {
  const api = useApi();
  const action = useAction();
  const [added, setAdded] = useState<Map<string, string>>(new Map());
  const add = async (id: string): Promise<void> => {
    const d = await action.run(() => call(api, channel, { id }));
    if (d) setAdded((m) => new Map(m).set(id, d.label));
  };
  return { action, added, add };
}
