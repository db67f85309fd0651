// Builds the `reminder-desk` CLI into plain JavaScript (out/cli/), so the command starts without compiling
// TypeScript. Runs on `npm install` (prepare) and in `npm run build`. Dependencies stay in node_modules
// (external); each command is its own chunk, loaded only when that command runs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, 'out/cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  // The import worker is its own entry: the core starts it as out/cli/import-worker.js (see import-in-worker.ts).
  entryPoints: { main: resolve(root, 'src-main/cli/main.ts'), 'import-worker': resolve(root, 'src-main/core/appointments/import-worker.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
});
