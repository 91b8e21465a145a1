import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiteFile } from '../../src-preload/contract/site.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { parseSiteFile, SiteFileError } from '../../src-main/site/site-file.js';
import { siteFileJsonSchema } from '../../src-main/site/site-json-schema.js';
import { Store } from '../../src-main/store/store.js';
import { resourcesDir } from '../../src-main/util/paths.js';
import { cli, tmpDir } from './helpers.js';

const library = loadLibrary();

export function sampleSiteFile(): SiteFile {
  return {
    format: 'ems-commissioner-site',
    version: 1,
    site: {
      name: 'Bakery Rossi',
      address: 'Via Roma 1, Bolzano',
      customer: 'M. Rossi',
      installer: 'Anna Tech',
      notes: 'main panel in the cellar',
    },
    devices: [
      {
        label: 'Grid main',
        model: 'cg-em24-rs485',
        bus: { kind: 'serial', port: '/dev/ttyUSB0', baud: 9600, parity: 'none', stopBits: 1 },
        unit: 1,
        role: 'grid',
        ctRatio: 40,
        system: '3P.N',
        settings: { demand_interval: 15 },
      },
      {
        label: 'PV inverter',
        model: 'cg-em340-et340',
        bus: { kind: 'tcp', host: '10.0.0.5', port: 502 },
        unit: 2,
        role: 'production',
      },
      {
        label: 'Heat',
        model: 'meterBus',
        bus: { kind: 'mbus', port: '/dev/ttyUSB1', baud: 2400 },
        mbusAddress: 8,
        role: 'sub-meter',
      },
      { label: 'Utility meter', model: 'P1', bus: { kind: 'p1', port: '/dev/ttyUSB2' }, role: 'grid' },
    ],
  };
}

/** The path the importer names for a file changed by `mutate`. */
function firstWrongPath(mutate: (f: Record<string, unknown> & SiteFile) => void): string {
  const f = sampleSiteFile() as Record<string, unknown> & SiteFile;
  mutate(f);
  try {
    parseSiteFile(JSON.stringify(f), library);
  } catch (e) {
    expect(e).toBeInstanceOf(SiteFileError);
    return (e as SiteFileError).path;
  }
  throw new Error('the file was accepted');
}

describe('site file', () => {
  it('accepts a valid file and returns the site without the file envelope', () => {
    const site = parseSiteFile(JSON.stringify(sampleSiteFile()), library);
    expect(site.site.name).toBe('Bakery Rossi');
    expect(site.devices).toHaveLength(4);
    expect(Object.keys(site)).toEqual(['site', 'devices']);
  });

  it('refuses a bad file with the path of the first wrong field', () => {
    expect(firstWrongPath((f) => (f.format = 'other' as never))).toBe('/format');
    expect(firstWrongPath((f) => (f.version = 2 as never))).toBe('/version');
    expect(firstWrongPath((f) => (f.site.name = ''))).toBe('/site/name');
    expect(firstWrongPath((f) => ((f.devices[1] as { role: string }).role = 'boss'))).toBe('/devices/1/role');
    expect(firstWrongPath((f) => (f.devices[0]!.model = 'no-such-meter'))).toBe('/devices/0/model');
    expect(firstWrongPath((f) => (f.devices[0]!.unit = 250))).toBe('/devices/0/unit');
    expect(
      firstWrongPath((f) => {
        f.devices[1]!.unit = 1;
        f.devices[1]!.bus = f.devices[0]!.bus;
      }),
    ).toBe('/devices/1/unit');
    expect(firstWrongPath((f) => (f.devices[0]!.ctRatio = 0.05))).toBe('/devices/0/ctRatio');
    expect(firstWrongPath((f) => (f.devices[0]!.settings = { demand_interval: 15, bogus: 1 }))).toBe(
      '/devices/0/settings/bogus',
    );
    expect(
      firstWrongPath((f) => {
        f.devices[0]!.model = 'eastron-sdm630';
        f.devices[0]!.system = '2P';
        delete f.devices[0]!.ctRatio;
        delete f.devices[0]!.settings;
      }),
    ).toBe('/devices/0/system');
    expect(firstWrongPath((f) => (f.devices[2]!.model = 'cg-em24-rs485'))).toBe('/devices/2/model');
    expect(firstWrongPath((f) => (f.extra = 1))).toBe('/extra');
    expect(() => parseSiteFile('{"format":', library)).toThrow(/not JSON/);
  });

  it('ships a JSON Schema that matches the TypeBox schema (run scripts/export-site-schema.ts)', () => {
    const onDisk = JSON.parse(readFileSync(join(resourcesDir(), 'site.schema.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(siteFileJsonSchema());
  });
});

describe('site command', () => {
  it('starts a site, exports it, imports it into another database, and refuses a bad file whole', async () => {
    const dir = tmpDir();
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    const good = join(dir, 'rossi.emssite');
    writeFileSync(good, JSON.stringify(sampleSiteFile()));
    expect((await cli(['site', 'show', '--db', a])).code).toBe(1);
    expect((await cli(['site', 'import', good, '--db', a])).code).toBe(0);
    const shown = await cli(['site', 'show', '--db', a]);
    expect(shown.out).toMatch(/site "Bakery Rossi", Via Roma 1/);
    expect(shown.out).toMatch(
      /Grid main {2}\[cg-em24-rs485, grid\] {2}serial:\/dev\/ttyUSB0 unit 1 {2}3P\.N, CT 40, demand_interval=15/,
    );
    const out = join(dir, 'copy.emssite');
    expect((await cli(['site', 'export', out, '--db', a])).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as SiteFile;
    expect(exported).toMatchObject({ format: 'ems-commissioner-site', version: 1 });
    expect(exported.devices).toEqual(sampleSiteFile().devices);
    expect((await cli(['site', 'import', out, '--db', b])).code).toBe(0);
    expect((await cli(['site', 'show', '--json', '--db', b])).out).toBe(
      (await cli(['site', 'show', '--json', '--db', a])).out,
    );

    // A bad file: one line with the path, exit 1, and the stored site is unchanged.
    const bad = sampleSiteFile();
    bad.devices[3]!.label = 'Utility';
    bad.devices[1]!.ctRatio = -1;
    writeFileSync(join(dir, 'bad.emssite'), JSON.stringify(bad));
    const r = await cli(['site', 'import', join(dir, 'bad.emssite'), '--replace', '--db', b]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.emssite: \/devices\/1\/ctRatio: /);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const store = new Store({ file: b });
    try {
      expect(JSON.parse(store.site.get()!)).toEqual({
        site: sampleSiteFile().site,
        devices: sampleSiteFile().devices,
      });
    } finally {
      store.close();
    }
    // Replacing a planned site needs --replace; bad usage is exit 2.
    expect((await cli(['site', 'import', good, '--db', b])).code).toBe(1);
    expect((await cli(['site', 'import', '--db', b])).code).toBe(2);
    expect((await cli(['site', 'frob', '--db', b])).code).toBe(2);
  });

  it('starts a site from what is configured now', async () => {
    const db = join(tmpDir(), 'c.db');
    expect(
      (
        await cli([
          'add',
          '--model',
          'cg-em340-et340',
          '--host',
          '127.0.0.1',
          '--port',
          '1502',
          '--unit',
          '3',
          '--label',
          'Kitchen',
          '--db',
          db,
        ])
      ).code,
    ).toBe(0);
    const r = await cli([
      'site',
      'new',
      '--name',
      'Flat 3',
      '--installer',
      'Anna',
      '--from-config',
      '--json',
      '--db',
      db,
    ]);
    expect(r.code).toBe(0);
    const site = JSON.parse(r.out) as SiteFile;
    expect(site.site).toMatchObject({ name: 'Flat 3', installer: 'Anna', address: '' });
    expect(site.devices).toEqual([
      {
        label: 'Kitchen',
        model: 'cg-em340-et340',
        bus: { kind: 'tcp', host: '127.0.0.1', port: 1502 },
        unit: 3,
        role: 'consumption',
        system: '3P.N',
      },
    ]);
    expect((await cli(['site', 'new', '--name', 'Again', '--db', db])).code).toBe(1);
    expect((await cli(['site', 'new', '--db', db])).code).toBe(2);
  });
});
