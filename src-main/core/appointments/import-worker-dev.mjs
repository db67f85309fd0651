// Worker entry when the app runs from TypeScript sources (CLI through tsx, tests): a worker thread doesn't
// inherit tsx's loader, so register it here before loading the real entry. The built app starts
// import-worker.js (bundled next to the main entry) instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
