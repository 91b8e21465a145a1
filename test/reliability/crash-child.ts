// Child process for the crash-safety test: writes through the engine's store path until it is killed,
// announcing on stdout each batch once its transaction has committed.
import { Store } from '../../src-main/store/store.js';
import { plainDevice, gauges } from '../helpers/plain-device.js';

const [file, mode] = process.argv.slice(2) as [string, 'ingest' | 'config'];
const store = new Store({ file });

if (mode === 'config') {
  let n = 0;
  const tick = (): void => {
    store.config.addDevice(plainDevice(`dev ${n}`, gauges(25), 2));
    process.stdout.write(`committed ${++n}\n`);
    setImmediate(tick);
  };
  tick();
} else {
  const tree = store.config.addDevice(plainDevice('crash', gauges(50)));
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
