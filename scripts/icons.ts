/**
 * Makes every icon the installers and the window use from the one source, resources/icon.svg:
 * PNGs of each size (Linux, the window), an ICO (Windows) and an ICNS (macOS), into resources/icons/.
 * The SVG is drawn by Debian's Chromium through playwright-core (no downloaded browser), the
 * containers are written by scripts/icon-containers.ts. The outputs are committed with the SHA-256 of
 * the SVG they came from, so building installers needs no browser; `--check` (and a test) fails
 * when the SVG changed and the icons were not made again.
 *
 *   npx tsx scripts/icons.ts           render and write
 *   npx tsx scripts/icons.ts --check   exit 1 when resources/icons/ is older than the SVG
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ICNS_TYPES, ICO_SIZES, writeIco, writeIcns, type PngImage } from './icon-containers.js';

const ROOT = resolve(import.meta.dirname, '..');
export const ICON_SOURCE = join(ROOT, 'resources', 'icon.svg');
export const ICON_DIR = join(ROOT, 'resources', 'icons');
export const STAMP = join(ICON_DIR, 'source.sha256');
const SIZES = [...new Set([...ICO_SIZES, ...Object.keys(ICNS_TYPES).map(Number)])].sort((a, b) => a - b);

export const svgHash = (): string => createHash('sha256').update(readFileSync(ICON_SOURCE)).digest('hex');

/** Why resources/icons/ does not match the SVG, or undefined when it does. */
export function staleReason(): string | undefined {
  if (!existsSync(STAMP)) return `${STAMP} is missing`;
  if (readFileSync(STAMP, 'utf8').trim() !== svgHash())
    return 'resources/icon.svg changed since the icons were made';
  for (const f of ['icon.ico', 'icon.icns', ...SIZES.map((s) => `png/${s}x${s}.png`)])
    if (!existsSync(join(ICON_DIR, f))) return `resources/icons/${f} is missing`;
  return undefined;
}

async function render(svg: Buffer): Promise<PngImage[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    const out: PngImage[] = [];
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      // Drawn only once decoded; the node lib has no DOM types, hence the structural type.
      await page.locator('img').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      out.push({ size, png: await page.screenshot({ type: 'png', omitBackground: true }) });
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--check')) {
    const why = staleReason();
    if (why) console.error(`icons out of date: ${why}; run: npx tsx scripts/icons.ts`);
    return why ? 1 : 0;
  }
  const images = await render(readFileSync(ICON_SOURCE));
  rmSync(ICON_DIR, { recursive: true, force: true });
  mkdirSync(join(ICON_DIR, 'png'), { recursive: true });
  for (const img of images) writeFileSync(join(ICON_DIR, 'png', `${img.size}x${img.size}.png`), img.png);
  const only = (sizes: readonly number[]): PngImage[] => images.filter((i) => sizes.includes(i.size));
  writeFileSync(join(ICON_DIR, 'icon.ico'), writeIco(only(ICO_SIZES)));
  writeFileSync(join(ICON_DIR, 'icon.icns'), writeIcns(only(Object.keys(ICNS_TYPES).map(Number))));
  writeFileSync(STAMP, `${svgHash()}\n`);
  console.log(`icons written to ${ICON_DIR} (${SIZES.join(', ')} px, icon.ico, icon.icns)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`icons: ${(err as Error).message}`);
      process.exit(1);
    },
  );
