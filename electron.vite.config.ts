import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicyMeta } from './src-main/electron/csp-meta-plugin';
import { devContentSecurityPolicy } from './src-main/electron/dev-csp-plugin';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      // The import worker is its own entry: the core starts it as out/main/import-worker.js, next to index.js.
      rollupOptions: {
        input: { index: resolve(root, 'src-main/electron/main.ts'), 'import-worker': resolve(root, 'src-main/core/appointments/import-worker.ts') },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    // The page's CSP meta tag (from the one policy), then the dev-only allowance for React Refresh and HMR
    // (never part of a build: see dev-csp-plugin.ts).
    plugins: [contentSecurityPolicyMeta(), react(), devContentSecurityPolicy()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
