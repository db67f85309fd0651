import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Kill and crash runs have their own config and command (`npm run test:faults`).
    exclude: ['test/faults/**', '**/node_modules/**'],
    environment: 'node',
    // Servers under test listen on port 0 and SQLite files live in temp dirs, so files can run in parallel.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    // CI reads the JSON report to print the plain "N passed, N failed" line its counter understands.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
    hookTimeout: 30_000,
  },
});
