/** Shown in the app and the CLI. Kept equal to package.json's version by test/core/engine/app-version.test.ts. */
export const APP_VERSION = '0.1.0';
