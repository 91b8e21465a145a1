import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const hasXvfbRun = spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
if (!hasXvfbRun)
  console.log(
    'with-display: xvfb-run not installed here (scripts/test-deps.sh installs it); that case is skipped',
  );

/** What DISPLAY a command started through the wrapper sees. */
function displaySeen(env: NodeJS.ProcessEnv): { code: number | null; display: string } {
  const r = spawnSync(
    process.execPath,
    ['scripts/with-display.js', process.execPath, '-e', 'console.log(process.env.DISPLAY ?? "")'],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  return { code: r.status, display: r.stdout.trim() };
}

describe('scripts/with-display.js', () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;

  it.runIf(process.platform === 'linux' && hasXvfbRun)(
    'runs the command under xvfb-run when there is no display',
    () => {
      expect(displaySeen(env)).toEqual({ code: 0, display: expect.stringMatching(/^:\d+$/) });
    },
  );

  it('leaves a machine with a display alone and passes the exit code on', () => {
    expect(displaySeen({ ...env, DISPLAY: ':42' })).toEqual({ code: 0, display: ':42' });
    const r = spawnSync(
      process.execPath,
      ['scripts/with-display.js', process.execPath, '-e', 'process.exit(3)'],
      {
        cwd: ROOT,
        env: { ...env, DISPLAY: ':42' },
      },
    );
    expect(r.status).toBe(3);
  });

  it('without a command: usage and exit 2', () => {
    const r = spawnSync(process.execPath, ['scripts/with-display.js'], { cwd: ROOT, encoding: 'utf8' });
    expect([r.status, r.stderr.trim()]).toEqual([2, 'usage: node scripts/with-display.js COMMAND [ARG…]']);
  });
});
