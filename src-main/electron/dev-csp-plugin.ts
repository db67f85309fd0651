import type { Plugin } from 'vite';
import { withDevelopmentPolicy } from './content-security-policy';

/**
 * `electron-vite dev` only (`apply: 'serve'`): after every other plugin (React's Refresh preamble included) has
 * put its tags into index.html, the CSP meta tag is rewritten to allow exactly those inline scripts and the
 * dev server's HMR WebSocket. `electron-vite build` never runs it, so the built page keeps the strict policy.
 */
export function devContentSecurityPolicy(): Plugin {
  return {
    name: 'reminder-desk:dev-content-security-policy',
    apply: 'serve',
    transformIndexHtml: { order: 'post', handler: (html) => withDevelopmentPolicy(html) },
  };
}
