import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Engine } from '../../engine.js';
import { SiteError } from '../../site/site-service.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { OperationError, parse, str, UsageError, type Io } from '../args.js';

export const REPORT_USAGE = 'ems-commissioner report --out FILE.pdf|FILE.html [--db FILE] [--json]';

const OPTIONS = { out: { type: 'string' }, db: { type: 'string' } } as const;

/** The commissioning report of the site in the store, as a self-contained HTML file or a PDF. */
export async function report(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, REPORT_USAGE);
  if (values.help) {
    io.out(REPORT_USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected "${positionals[0]}"\nusage: ${REPORT_USAGE}`);
  const out = str(values.out, 'out');
  const ext = extname(out).toLowerCase();
  if (ext !== '.pdf' && ext !== '.html' && ext !== '.htm')
    throw new UsageError(`--out must end in .pdf or .html, got "${out}"`);
  const format = ext === '.pdf' ? 'pdf' : 'html';
  const engine = new Engine({
    dbFile: typeof values.db === 'string' ? values.db : defaultDbFile(),
    poll: false,
  });
  try {
    const file = await engine.siteReport(format);
    const bytes = file.format === 'pdf' ? file.pdf : Buffer.from(file.html, 'utf8');
    try {
      writeFileSync(out, bytes);
    } catch (e) {
      throw new OperationError(`cannot write ${out}: ${(e as Error).message}`);
    }
    io.out(
      values.json
        ? JSON.stringify({ file: out, format, bytes: bytes.length })
        : `wrote ${out} (${format.toUpperCase()}, ${bytes.length} bytes)`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SiteError) throw new OperationError(e.message);
    if (e instanceof OperationError) throw e;
    throw new OperationError((e as Error).message.split('\n')[0]);
  } finally {
    await engine.close();
  }
}
