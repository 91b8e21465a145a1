import { readFileSync } from 'node:fs';
import { Store } from '../../store/store.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { intList, oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner samples import FILE.csv [--db FILE]\n' +
  '       ems-commissioner samples export --uids U[,U…] [--start MS] [--end MS] [--db FILE]';

export interface CsvRow {
  uid: number;
  t: number;
  v: number;
}

/** Parses `signal_uid,t_ms,value` rows (a header line is allowed); every bad line is reported. */
export function parseSamplesCsv(text: string): { rows: CsvRow[]; errors: string[] } {
  const rows: CsvRow[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim();
    if (!l || l.startsWith('#')) return;
    if (i === 0 && /[a-z]/i.test(l) && !/^\d/.test(l)) return; // header
    const parts = l.split(',');
    if (parts.length !== 3) {
      errors.push(`line ${i + 1}: expected signal_uid,t_ms,value, got "${l.slice(0, 60)}"`);
      return;
    }
    const [u, t, v] = parts.map((p) => p.trim()) as [string, string, string];
    const uid = Number(u);
    const tm = Number(t);
    const val = Number(v);
    if (!/^\d+$/.test(u)) errors.push(`line ${i + 1}: signal_uid "${u}" is not a positive integer`);
    else if (!/^\d+$/.test(t) || tm > 4102444800000)
      errors.push(`line ${i + 1}: t_ms "${t}" is not a Unix time in ms`);
    else if (v === '' || !Number.isFinite(val)) errors.push(`line ${i + 1}: value "${v}" is not a number`);
    else rows.push({ uid, t: tm, v: val });
  });
  return { rows, errors };
}

export async function samples(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { db: { type: 'string' }, uids: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' } },
    USAGE,
  );
  const action = oneOf(positionals[0], 'action (import|export)', ['import', 'export'] as const);
  const store = new Store({ file: typeof values.db === 'string' ? values.db : defaultDbFile() });
  try {
    if (action === 'import') {
      const file = positionals[1];
      if (!file) throw new UsageError(`a FILE.csv is required\nusage: ${USAGE}`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new OperationError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const { rows, errors } = parseSamplesCsv(text);
      if (errors.length)
        throw new OperationError(
          `${errors.length} bad line(s), nothing imported; first: ${errors.slice(0, 3).join('; ')}`,
        );
      const known = new Set(store.config.signals().map((s) => s.uid));
      const unknown = [...new Set(rows.filter((r) => !known.has(r.uid)).map((r) => r.uid))];
      if (unknown.length)
        throw new OperationError(
          `unknown signal uid(s) ${unknown.slice(0, 10).join(', ')}; nothing imported (see: ems-commissioner list)`,
        );
      const r = store.samples.importSamples(rows);
      io.out(
        values.json
          ? JSON.stringify(r)
          : `imported ${r.samples} samples, ${r.periods} history period(s) rolled up`,
      );
      return 0;
    }
    const uids = intList(str(values.uids, 'uids'), 'uids', 1, Number.MAX_SAFE_INTEGER);
    const start = values.start === undefined ? 0 : Number(values.start);
    const end = values.end === undefined ? Date.now() + 60_000 : Number(values.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start > end)
      throw new UsageError('--start/--end: Unix ms with start ≤ end');
    io.out('uid,t,p,v,d,max,min');
    for (const uid of uids) {
      let offset = 0;
      for (;;) {
        const page = store.samples.history(uid, start, end, 10_000, offset);
        for (const h of page) io.out(`${h.uid},${h.t},${h.p},${h.v},${h.d},${h.max},${h.min}`);
        if (page.length < 10_000) break;
        offset += page.length;
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
