// The one Content-Security-Policy of the renderer and the security headers every listener sends. The browser
// preview sends the policy as a response header, Electron adds it to every response of the window's session,
// and the build writes the meta-tag form into index.html for file:// pages (which may get no headers).
// No remote origin anywhere: the UI reaches the core only through the preload bridge (Electron) or its own
// origin (browser preview). Inline styles are allowed for React's style attributes; inline scripts never.

const DIRECTIVES: readonly [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Directives a browser ignores (and warns about) when they come in a <meta> tag: they only work as a header. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/** The same policy minus the header-only directives, for the <meta http-equiv> tag of a file:// page. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name))
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/** Every answer of every listener: nothing cached, no MIME sniffing. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Pages and assets the renderer is served from (the browser preview). */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The <meta> tag the build puts into index.html (see electron.vite.config.ts). */
export function cspMetaTag(): string {
  return `<meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`;
}
