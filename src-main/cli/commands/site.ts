import { readFileSync, writeFileSync } from 'node:fs';
import { SITE_FILE_EXTENSION, type Site } from '../../../src-preload/contract/site.js';
import { Engine } from '../../engine.js';
import { busKey, SiteFileError } from '../../site/site-file.js';
import { SiteError } from '../../site/site-service.js';
import { defaultDbFile } from '../../util/data-dir.js';
import { oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';
import { siteWork } from './site-work.js';

const ACTIONS = [
  'new',
  'show',
  'export',
  'import',
  'check',
  'write-plan',
  'check-wiring',
  'baseline',
  'drift',
  'cross-check',
] as const;

export const SITE_USAGE = [
  'ems-commissioner site new --name TEXT [--address TEXT] [--customer TEXT] [--installer TEXT] [--notes TEXT] [--from-config] [--replace] [--db FILE]',
  `       ems-commissioner site show | export FILE${SITE_FILE_EXTENSION} | import FILE [--replace] [--db FILE] [--json]`,
  '       ems-commissioner site check [--scan FILE] | write-plan [--who NAME] | check-wiring | baseline | drift [--db FILE] [--json]',
  '       ems-commissioner site cross-check [--seconds N] [--main UID] [--p1 UID] [--db FILE] [--json]',
].join('\n');

const OPTIONS = {
  name: { type: 'string' },
  address: { type: 'string' },
  customer: { type: 'string' },
  installer: { type: 'string' },
  notes: { type: 'string' },
  'from-config': { type: 'boolean' },
  replace: { type: 'boolean' },
  scan: { type: 'string' },
  who: { type: 'string' },
  seconds: { type: 'string' },
  main: { type: 'string' },
  p1: { type: 'string' },
  db: { type: 'string' },
} as const;

export function describeSite(site: Site): string[] {
  const s = site.site;
  const lines = [
    `site "${s.name}"${s.address ? `, ${s.address}` : ''}`,
    ...(s.customer ? [`  customer:  ${s.customer}`] : []),
    ...(s.installer ? [`  installer: ${s.installer}`] : []),
    ...(s.notes ? [`  notes:     ${s.notes}`] : []),
    `  ${site.devices.length} planned device(s)`,
  ];
  for (const d of site.devices) {
    const addr =
      d.unit !== undefined
        ? ` unit ${d.unit}`
        : d.mbusAddress !== undefined
          ? ` address ${d.mbusAddress}`
          : '';
    const extra = [
      d.system,
      d.ctRatio !== undefined ? `CT ${d.ctRatio}` : undefined,
      ...Object.entries(d.settings ?? {}).map(([k, v]) => `${k}=${v}`),
    ].filter(Boolean);
    lines.push(
      `    ${d.label}  [${d.model}, ${d.role}]  ${busKey(d.bus)}${addr}${extra.length ? `  ${extra.join(', ')}` : ''}`,
    );
  }
  return lines;
}

/** The site plan: start, show, export/import as a .emssite file; commissioning against it. */
export async function site(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, SITE_USAGE);
  if (values.help) {
    io.out(SITE_USAGE);
    return 0;
  }
  const action = oneOf(positionals[0], `action (${ACTIONS.join('|')})`, ACTIONS);
  const file = positionals[1];
  if ((action === 'export' || action === 'import') && !file)
    throw new UsageError(`site ${action} needs a FILE\nusage: ${SITE_USAGE}`);
  const engine = new Engine({
    dbFile: typeof values.db === 'string' ? values.db : defaultDbFile(),
    poll: false,
  });
  try {
    const plan = engine.sitePlan;
    switch (action) {
      case 'new': {
        const name = str(values.name, 'name');
        const existing = plan.get();
        if (existing && !values.replace)
          throw new OperationError(
            `a site "${existing.site.name}" exists already; --replace to start over (export it first to keep it)`,
          );
        const text = (k: 'address' | 'customer' | 'installer' | 'notes') =>
          typeof values[k] === 'string' ? { [k]: values[k] } : {};
        const created = plan.create(
          { name, ...text('address'), ...text('customer'), ...text('installer'), ...text('notes') },
          values['from-config'] === true,
        );
        io.out(values.json ? JSON.stringify(created, null, 2) : describeSite(created).join('\n'));
        return 0;
      }
      case 'show': {
        const s = plan.require();
        io.out(values.json ? JSON.stringify(s, null, 2) : describeSite(s).join('\n'));
        return 0;
      }
      case 'export': {
        const doc = plan.exportFile();
        try {
          writeFileSync(file!, `${JSON.stringify(doc, null, 2)}\n`);
        } catch (e) {
          throw new OperationError(`cannot write ${file}: ${(e as Error).message}`);
        }
        io.out(
          values.json
            ? JSON.stringify({ file, devices: doc.devices.length })
            : `wrote ${file} (${doc.devices.length} planned device(s))`,
        );
        return 0;
      }
      case 'import': {
        let text: string;
        try {
          text = readFileSync(file!, 'utf8');
        } catch (e) {
          throw new OperationError(`cannot read ${file}: ${(e as Error).message}`);
        }
        const existing = plan.get();
        if (existing && existing.devices.length && !values.replace)
          throw new OperationError(
            `a site "${existing.site.name}" with ${existing.devices.length} planned device(s) exists; --replace to replace it`,
          );
        const imported = plan.importFile(text);
        io.out(values.json ? JSON.stringify(imported, null, 2) : describeSite(imported).join('\n'));
        return 0;
      }
      default:
        return await siteWork(action, engine, values, io);
    }
  } catch (e) {
    if (e instanceof SiteFileError) throw new OperationError(`${file ? `${file}: ` : ''}${e.message}`);
    if (e instanceof SiteError) throw new OperationError(e.message);
    throw e;
  } finally {
    await engine.close();
  }
}
