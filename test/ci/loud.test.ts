import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = resolve(import.meta.dirname, 'fixtures');

/** Runs a tool of node_modules/.bin with CI set or unset, as `.ci/run` and a developer's shell would. */
function run(tool: string, args: string[], ci: boolean, cwd = ROOT): { code: number | null; out: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env.CI;
  if (ci) env.CI = 'true';
  const r = spawnSync(resolve(ROOT, 'node_modules/.bin', tool), args, { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('CI fails loudly', () => {
  it('.ci/run sets CI=true, and the browser tests do not pass when none ran', () => {
    expect(readFileSync(resolve(ROOT, '.ci/run'), 'utf8')).toMatch(/^export CI=true$/m);
    const scripts = (
      JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['test:e2e']).toContain('playwright test');
    expect(Object.values(scripts).join(' ')).not.toContain('--pass-with-no-tests');
  });

  it('Vitest with the project config refuses a focused test under CI and allows it in a shell', () => {
    const args = ['run', '--config', 'test/ci/fixtures/vitest.focused.config.ts'];
    const ci = run('vitest', args, true);
    expect(ci.code).not.toBe(0);
    expect(ci.out).toMatch(/\.only/);
    const dev = run('vitest', args, false);
    expect(dev.out).toMatch(/1 passed/);
    expect(dev.code).toBe(0);
  });

  it('Playwright with the project config refuses a focused test under CI and lists it in a shell', () => {
    const args = ['test', '--config', 'playwright.focused.config.ts', '--list'];
    const ci = run('playwright', args, true, FIXTURES);
    expect(ci.code).not.toBe(0);
    expect(ci.out).toContain("not allowed due to the 'forbidOnly' option");
    const dev = run('playwright', args, false, FIXTURES);
    expect(dev.code).toBe(0);
    expect(dev.out).toContain('Total: 2 tests in 1 file');
  });
});
