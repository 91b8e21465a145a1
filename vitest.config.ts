import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/ui/**', 'node_modules/**'],
    // Generous: the CLI tests start real processes, and CI shares two cores with pty peers and pymodbus.
    testTimeout: 120_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Real peers (pty pairs, pymodbus) are processes of their own; two cores cannot host many at once.
    maxWorkers: 2,
    // A focused test left in by mistake would silently drop the rest of the suite: CI refuses it.
    allowOnly: !process.env.CI,
  },
});
