import { useEffect, useState } from 'react';
import type { TreeDevice } from '../../src-preload/contract/index.js';

export function App() {
  const [tree, setTree] = useState<TreeDevice[] | null>(null);
  const [error, setError] = useState<string | null>(window.ems ? null : 'No engine connection.');
  useEffect(() => {
    void window.ems
      ?.invoke('config.tree', undefined)
      .then((r) => (r.ok ? setTree(r.data) : setError(r.message)));
  }, []);
  return (
    <main>
      <h1>EMS Commissioner</h1>
      {error && <p role="alert">{error}</p>}
      <ul>
        {tree?.map((d) => (
          <li key={d.uid}>
            {d.label} ({d.protocol})
          </li>
        ))}
      </ul>
    </main>
  );
}
