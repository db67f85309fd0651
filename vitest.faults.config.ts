import { defineConfig } from 'vitest/config';

// `npm run test:faults`: crash and kill runs against real processes and real database files. Slow by nature
// (each test starts the CLI many times), so they are kept out of `npm test`'s unit run and bounded here.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-faults.json' }]] : ['default'],
  },
});
