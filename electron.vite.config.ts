import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { cspMetaTag } from './src-main/core/http/security-headers';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * The built page carries the CSP's meta-tag form (file:// pages in Electron may get no headers); the preview and
 * Electron's session also send it as a header. Both come from core/http/security-headers.ts.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'reminder-desk-csp-meta',
    transformIndexHtml: { order: 'pre', handler: (html) => html.replace('<head>', `<head>\n    ${cspMetaTag()}`) },
  };
}

// Three bundles: the Electron main process (which starts the plain-Node core), the sandboxed preload
// (must be CommonJS), and the React renderer, which the browser preview serves unchanged.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(root, 'src-main/electron/main.ts') } },
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
    plugins: [contentSecurityPolicyMeta(), react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
    },
  },
});
