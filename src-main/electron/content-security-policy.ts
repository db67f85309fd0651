import { createHash } from 'node:crypto';
import { CONTENT_SECURITY_POLICY } from '../core/http/security-headers';

// The renderer's Content-Security-Policy is spelled once, in core/http/security-headers.ts: the browser preview
// sends it as a header, the main process sets it as a header on the window's responses, and the build writes its
// meta-tag form into index.html (csp-meta-plugin.ts) for the file:// page, which may get no headers.
export { CONTENT_SECURITY_POLICY };

// ---- `electron-vite dev` only ---------------------------------------------------------------------------------
// The dev server injects an inline React Refresh preamble (ahead of the meta tag, so it is the header the main
// process adds that blocks it) and talks to its page over a WebSocket (HMR). Loosened there and nowhere else:
// - the header the main process puts on the dev server's responses allows inline scripts and loopback
//   WebSockets; it is used only for a dev-server origin, which a packaged app never has (app-origin.ts ignores
//   ELECTRON_RENDERER_URL when packaged);
// - the page's meta tag names the exact inline scripts the dev server put in (their sha256), rewritten by a Vite
//   plugin that runs only for `serve` (dev-csp-plugin.ts), so `electron-vite build` output keeps the strict tag.
// A test serves the renderer like `electron-vite dev` and loads it in Chromium: no violation with these, the
// preamble blocked without them.

const DEV_WEBSOCKETS = 'ws://localhost:* ws://127.0.0.1:*';

/** The policy for pages served by `electron-vite dev`: exact script hashes, or (header only) any inline script. */
export function developmentContentSecurityPolicy(inlineScriptHashes: readonly string[] | 'any-inline'): string {
  const inline = inlineScriptHashes === 'any-inline' ? ["'unsafe-inline'"] : inlineScriptHashes;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", ["script-src 'self'", ...inline].join(' ')).replace(
    "connect-src 'self'",
    `connect-src 'self' ${DEV_WEBSOCKETS}`,
  );
}

/** The header the main process puts on http(s) responses for this kind of app origin. */
export function headerPolicyFor(origin: { kind: 'file' | 'dev-server' }): string {
  return origin.kind === 'dev-server' ? developmentContentSecurityPolicy('any-inline') : CONTENT_SECURITY_POLICY;
}

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const META_CSP = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;

/** CSP source expressions (`'sha256-…'`) for every inline script in a page, as the browser hashes them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes ?? '') || !body) continue;
    hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...new Set(hashes)];
}

/** Rewrites the page's CSP meta tag to the development policy for the inline scripts it now holds. */
export function withDevelopmentPolicy(html: string): string {
  if (!META_CSP.test(html)) throw new Error('index.html has no Content-Security-Policy meta tag to adapt for electron-vite dev');
  const policy = developmentContentSecurityPolicy(inlineScriptHashes(html));
  return html.replace(META_CSP, (_match, before: string, _old: string, after: string) => `${before}${policy}${after}`);
}
