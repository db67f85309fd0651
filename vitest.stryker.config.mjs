import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant (see stryker.config.mjs). Only the core folders' own tests: the engine,
// CLI, preview, e2e and Electron suites are slow, start servers or browsers, and add little for these files.
// The runner forces vitest's `threads` pool with one worker per Stryker process.

/** Test folders under test/core/ (they mirror MUTATED_FOLDERS in stryker.config.mjs: rename both together). */
const MUTATED_TEST_FOLDERS = ['calls', 'callbacks', 'batches', 'store'];

/**
 * Left out: they start child processes or a whole simulated Twilio and take seconds per run, and every mutant of the
 * runner and the store reaches them. What they prove end to end, the unit tests beside them hold piece by piece.
 */
const TOO_SLOW_PER_MUTANT = [
  'test/core/batches/kill-between-create-and-store.test.ts',
  'test/core/batches/simulator-dispatch.test.ts',
  // Load tests (80 stalled connections, 2,000 posts): 4 s a run, and every mutant of the listener reaches them.
  // listener-guard-parts.test.ts holds the guard's pieces one by one.
  'test/core/callbacks/listener-under-attack.test.ts',
];

export default defineConfig({
  test: {
    include: MUTATED_TEST_FOLDERS.map((folder) => `test/core/${folder}/**/*.test.ts`),
    exclude: ['**/node_modules/**', ...TOO_SLOW_PER_MUTANT],
    environment: 'node',
    // Every test here finishes in under 2 s on the real code: a mutant that makes one wait for an event that never
    // comes fails it after 5 s (a kill) instead of holding the worker until Stryker's timeout restarts it.
    testTimeout: 2_000,
    hookTimeout: 3_000,
    // Each mutant is a fresh vitest run: re-importing twilio, better-sqlite3 and the core for every test file dominated
    // the time. These tests share no module state (no vi.mock, every test opens its own temp database).
    isolate: false,
  },
});
