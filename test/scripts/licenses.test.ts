import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectLicenses } from '../../scripts/licenses.js';

describe('licences of the bundled libraries (About page)', () => {
  const list = collectLicenses(resolve(import.meta.dirname, '../..'));
  const byName = new Map(list.map((l) => [l.name, l]));

  it('lists the runtime libraries with their licence text', () => {
    for (const name of [
      'react',
      'react-dom',
      'fastify',
      'better-sqlite3',
      'serialport',
      'i18next',
      'uplot',
    ]) {
      const l = byName.get(name);
      expect(l, name).toBeDefined();
      expect(l?.license, name).toMatch(/MIT|Apache|BSD|ISC/);
      expect(l?.text ?? '', name).toMatch(/permission|licen[cs]e/i);
    }
  });

  it('includes Electron, which the installers ship, and leaves out build and test tools', () => {
    expect(byName.get('electron')?.license).toBe('MIT');
    for (const dev of ['vitest', 'eslint', 'electron-builder', '@playwright/test', 'electron-vite'])
      expect(byName.has(dev), dev).toBe(false);
  });

  it('names every package once per version, sorted, with a licence stated', () => {
    const ids = list.map((l) => `${l.name}@${l.version}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a.localeCompare(b))).toEqual(
      ids.slice().sort((a, b) => a.localeCompare(b)),
    );
    expect(list.filter((l) => l.license === 'UNKNOWN').map((l) => l.name)).toEqual([]);
  });
});
