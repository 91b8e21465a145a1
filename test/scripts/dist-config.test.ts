import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_FILE_EXTENSION } from '../../src-preload/contract/site.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * electron-builder's own configuration loading and validation (its JSON schema, scheme.json, plus its
 * checks of removed options), taken from app-builder-lib as the builder itself uses them: nothing is
 * packed or downloaded.
 */
const fromBuilder = createRequire(
  createRequire(join(ROOT, 'package.json')).resolve('electron-builder/package.json'),
);
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, debug: unknown): Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Target = string | { target: string };
interface Config {
  appId?: string;
  productName?: string;
  npmRebuild?: boolean;
  buildDependenciesFromSource?: boolean;
  asarUnpack?: string[];
  fileAssociations?: { ext: string; name?: string }[];
  win?: { target?: Target[]; icon?: string };
  mac?: { target?: Target | Target[]; icon?: string };
  linux?: { target?: Target[]; icon?: string };
  [k: string]: unknown;
}

const load = (): Promise<Config> => getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
const validate = (c: Config): Promise<void> => validateConfiguration(c, new DebugLogger(false));
const targets = (t: Target | Target[] | undefined): string[] =>
  (Array.isArray(t) ? t : t ? [t] : []).map((x) => (typeof x === 'string' ? x : x.target));

describe('installer configuration (electron-builder.yml)', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('the same validation refuses a misspelt option and a wrong type, naming where', async () => {
    const c = await load();
    // Deliberately wrong shapes, so typed loosely.
    const wrong = (extra: Record<string, unknown>): Promise<void> => validate({ ...c, ...extra } as Config);
    await expect(wrong({ productNme: 'x' })).rejects.toThrow(/productNme/);
    await expect(wrong({ win: { ...c.win, targett: ['nsis'] } })).rejects.toThrow(/configuration\.win\b/);
    await expect(wrong({ npmRebuild: 'yes' })).rejects.toThrow(/npmRebuild/);
    await expect(validate({ ...c, appImage: { systemIntegration: 'ask' } })).rejects.toThrow(/deprecated/);
  });

  it('names the app and builds NSIS + portable, dmg, AppImage + deb', async () => {
    const c = await load();
    expect(c.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(c.productName).toBe('EMS Commissioner');
    expect(targets(c.win?.target)).toEqual(['nsis', 'portable']);
    expect(targets(c.mac?.target)).toEqual(['dmg']);
    expect(targets(c.linux?.target)).toEqual(['AppImage', 'deb']);
  });

  it('opens site files, with the extension the site contract defines', async () => {
    const c = await load();
    expect(c.fileAssociations?.map((a) => `.${a.ext}`)).toEqual([SITE_FILE_EXTENSION]);
  });

  it('builds native addons for Electron from prebuilds and keeps them outside the asar archive', async () => {
    const c = await load();
    expect(c.npmRebuild).toBe(true);
    expect(c.buildDependenciesFromSource).toBe(false);
    expect(c.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/@serialport/bindings-cpp/**']),
    );
  });

  it('points at icons that exist', async () => {
    const c = await load();
    for (const icon of [c.win?.icon, c.mac?.icon, c.linux?.icon]) {
      expect(icon).toBeTruthy();
      expect(existsSync(join(ROOT, icon!)), icon).toBe(true);
    }
  });
});
