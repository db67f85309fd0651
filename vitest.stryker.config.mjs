import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (see stryker.config.mjs). Only the core folders' own tests: the engine,
// CLI, preview, e2e and Electron suites are slow, start servers or browsers, and add little for these files.
// The runner forces vitest's `threads` pool with one worker per Stryker process.

/** Test folders under test/core/ (they mirror MUTATED_FOLDERS in stryker.config.mjs: rename both together). */
const MUTATED_TEST_FOLDERS = ['calls', 'callbacks', 'dispatch', 'polling', 'store', 'export'];

export default defineConfig({
  test: {
    include: MUTATED_TEST_FOLDERS.map((folder) => `test/core/${folder}/**/*.test.ts`),
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each mutant is a fresh vitest run: re-importing twilio, better-sqlite3 and the core for every test file dominated
    // the time. These tests share no module state (no vi.mock, every test opens its own temp database).
    isolate: false,
  },
});
