// Mutation testing of the core's logic: `npm run test:mutation` (not part of `npm test`; about 20 minutes on 2 cores, see docs/TESTING.md).
// Stryker changes one small thing at a time in the files below (a `>=` into `>`, a condition into `true`, ...) and
// runs the tests that cover it; a mutant no test notices is a behaviour no test holds.

import fs from 'node:fs';

/**
 * The core folders whose files are mutated, under src-main/core/ (the calls/, callbacks/, dispatch/,
 * polling/, store/ and export/: dispatch/ and export/ now live in batches/, polling/ in calls/). When folders move,
 * edit this list and MUTATED_TEST_FOLDERS in vitest.stryker.config.mjs together.
 */
export const MUTATED_FOLDERS = ['calls', 'callbacks', 'batches', 'store'];

/**
 * Each room's wiring into the engine (service, handler slice, views, listener): held by the engine tests, which this
 * run leaves out for time. Mutated, they would only count as "no coverage".
 */
const ROOM_WIRING = [
  '*-service.ts',
  '*-handlers.ts',
  '*-views.ts',
  'batch-progress.ts',
  'export-batch.ts',
  'call-tracking.ts',
  'voice.ts',
  'callback-listener.ts',
];

// `STRYKER_FOLDERS=store,polling npm run test:mutation` mutates only those folders (same tests, same reports).
const only = (process.env.STRYKER_FOLDERS ?? '')
  .split(',')
  .map((folder) => folder.trim())
  .filter(Boolean);
const folders = only.length > 0 ? only : MUTATED_FOLDERS;

// The tests' temporary SQLite files go to RAM when the machine has it: every commit fsyncs, and a run is thousands
// of test runs (the test runners inherit this environment).
if (!process.env.TMPDIR && fs.existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
// A subset run reports (and keeps its incremental file) beside the full run's, never over it.
const reportDir = only.length > 0 ? `reports/mutation/${only.join('+')}` : 'reports/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-log-ignorer.mjs'],
  // No mutants in logging (scripts/stryker-log-ignorer.mjs says why).
  ignorers: ['log-statements'],
  // No data-literal mutants (a string emptied, an object literal made `{}`, an array made `[]`). In these folders
  // strings are SQL text (emptied, every query test fails at once), log and error wording, and header and status
  // names whose comparisons the condition mutants already flip; objects and arrays are options bags, column lists
  // and query parameters whose loss fails the first test that runs the code. They were 1,187 of 4,441 mutants,
  // about a third of the run's time, for almost no behaviour a condition, operator or block mutant does not probe.
  mutator: { excludedMutations: ['StringLiteral', 'ObjectLiteral', 'ArrayDeclaration'] },
  testRunner: 'vitest',
  // A vitest config of its own: only the core tests that exercise these folders (no browser, Electron, CLI or
  // engine suites), so a run fits in 30 minutes on two cores.
  vitest: { configFile: 'vitest.stryker.config.mjs' },
  mutate: [...folders.map((folder) => `src-main/core/${folder}/**/*.ts`), ...ROOM_WIRING.map((file) => `!src-main/core/**/${file}`)],
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Module-level constants (status sets, defaults) would need the whole suite for each of their mutants.
  ignoreStatic: true,
  concurrency: 2,
  // Reuses the results of mutants whose code and tests did not change since the last run (the file stays local).
  incremental: true,
  incrementalFile: `${reportDir}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  // A mutant that hangs a test is normally stopped by vitest's own test timeout (vitest.stryker.config.mjs), which
  // fails the test without restarting the worker; this is the backstop for one that blocks the event loop.
  timeoutMS: 5_000,
  thresholds: { high: 80, low: 60, break: null },
  // Not needed by the tests: keeps the sandbox copy small.
  ignorePatterns: ['/out', '/dist', '/release', '/coverage', '/test-results', '/bench', '/security', '/src-renderer', '/resources/icons'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
