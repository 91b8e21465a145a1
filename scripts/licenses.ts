import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One library the app ships, with its licence as its authors state it. */
export interface LicenseEntry {
  name: string;
  version: string;
  /** SPDX expression from the package's manifest ("MIT", "(MIT OR Apache-2.0)"). */
  license: string;
  /** The package's own licence file, or null where it ships none (the SPDX id then stands alone). */
  text: string | null;
  repository: string | null;
}

interface LockPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt|markdown|mit|bsd))?$/i;

function manifestLicense(pkg: Record<string, unknown>): string {
  const l = pkg.license ?? pkg.licenses;
  if (typeof l === 'string') return l;
  if (l && typeof l === 'object' && 'type' in l && typeof l.type === 'string') return l.type;
  if (Array.isArray(l))
    return l
      .map((x: { type?: string } | string) => (typeof x === 'string' ? x : (x.type ?? '?')))
      .join(' OR ');
  return 'UNKNOWN';
}

function repositoryUrl(pkg: Record<string, unknown>): string | null {
  const r = pkg.repository;
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object' && 'url' in r && typeof r.url === 'string')
    return r.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return null;
}

/**
 * Every package the installed app carries: the runtime dependency closure recorded in
 * package-lock.json (dev-only packages excluded; optional packages that are not installed here
 * skipped), plus Electron itself, whose Chromium notices ship beside the binary.
 */
export function collectLicenses(root: string): LicenseEntry[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  const dirs = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.link)
    .map(([path]) => path);
  dirs.push('node_modules/electron');
  const seen = new Set<string>();
  const out: LicenseEntry[] = [];
  for (const dir of dirs) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    const name = typeof pkg.name === 'string' ? pkg.name : dir.slice(dir.lastIndexOf('node_modules/') + 13);
    const version = typeof pkg.version === 'string' ? pkg.version : '?';
    const id = `${name}@${version}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const file = readdirSync(join(root, dir)).find((f) => LICENSE_FILE.test(f));
    out.push({
      name,
      version,
      license: manifestLicense(pkg),
      text: file ? readFileSync(join(root, dir, file), 'utf8').trim() : null,
      repository: repositoryUrl(pkg),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
