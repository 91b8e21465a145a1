// Child process for the conversion crash test: opens a database from before blocks with the engine's
// store and runs the live path — a flush every few ms, each writing a batch of a live signal and then
// (inside flush) a slice of the conversion — announcing after each flush what has committed, until
// it is killed.
import { Store } from '../../src-main/store/store.js';

const [file, liveUid, liveT0] = process.argv.slice(2).map((a, i) => (i ? Number(a) : a)) as [
  string,
  number,
  number,
];
const store = new Store({ file });
const blocks = store.db.prepare('SELECT count(*) FROM sample_blocks').pluck();
let i = 0;
const step = (): void => {
  const batch = Array.from({ length: 10 }, () => ({
    uid: liveUid,
    t: liveT0 + i++ * 100,
    v: i,
    s: 1 as const,
  }));
  store.samples.ingest(batch);
  store.samples.flush();
  process.stdout.write(`committed live ${i} blocks ${blocks.get() as number}\n`);
  setImmediate(step);
};
step();
