// Child process for the crash-safety test: writes through the engine's store path until it is killed,
// announcing on stdout each batch once its transaction has committed.
import { Store } from '../../src-main/store/store.js';

const [file, mode] = process.argv.slice(2) as [string, 'ingest' | 'config'];
const store = new Store({ file });

if (mode === 'config') {
  let n = 0;
  const tick = (): void => {
    store.config.addDevice({
      label: `dev ${n}`,
      protocol: 'tcp',
      model: null,
      partNumber: 'X',
      system: '3P.N',
      connection: { host: 'h', port: 1, unit: 1, model: 'x' },
      loads: [1, 2].map((index) => ({
        label: `L${index}`,
        index,
        signals: Array.from({ length: 25 }, (_, i) => ({
          key: `k${i}`,
          si: 1,
          kind: 'gauge' as const,
          type: 'float' as const,
          unit: 'W',
        })),
      })),
    });
    process.stdout.write(`committed ${++n}\n`);
    setImmediate(tick);
  };
  tick();
} else {
  const tree = store.config.addDevice({
    label: 'crash',
    protocol: 'tcp',
    model: null,
    partNumber: 'X',
    system: '3P.N',
    connection: { host: 'h', port: 1, unit: 1, model: 'x' },
    loads: [
      {
        label: 'L',
        index: 1,
        signals: Array.from({ length: 50 }, (_, i) => ({
          key: `k${i}`,
          si: 1,
          kind: 'gauge' as const,
          type: 'float' as const,
          unit: 'W',
        })),
      },
    ],
  });
  const uids = tree.loads[0]!.signals.map((s) => s.uid);
  let t = Date.now();
  let total = 0;
  const cycle = (): void => {
    // One poll cycle every 20 ms: 50 samples, then the flush that commits them as one transaction.
    for (let k = 0; k < 5; k++) {
      t += 1;
      store.samples.ingest(uids.map((uid, i) => ({ uid, t, v: i, s: 1 as const })));
    }
    total += store.samples.flush();
    process.stdout.write(`committed ${total}\n`);
    setTimeout(cycle, 20);
  };
  cycle();
}
