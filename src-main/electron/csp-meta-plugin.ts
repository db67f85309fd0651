import type { Plugin } from 'vite';
import { cspMetaTag } from '../core/http/security-headers';

/**
 * Writes the renderer's CSP meta tag (core/http/security-headers.ts, minus the header-only `frame-ancestors`
 * that browsers ignore in a meta tag, with a warning) into index.html, first thing, for builds and the dev
 * server alike: a file:// page in Electron may get no response headers, so the page carries the policy itself.
 */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'reminder-desk:content-security-policy-meta',
    transformIndexHtml: { order: 'pre', handler: (html) => html.replace('<head>', `<head>\n    ${cspMetaTag()}`) },
  };
}
