// The renderer's Content-Security-Policy, identical to the <meta http-equiv> tag in src-renderer/index.html
// (the production window loads a file:// page, which has no response headers; a test keeps the two equal).
// The main process also sets it as a header on http(s) responses, i.e. electron-vite's dev server.
// No remote origin anywhere: the UI reaches the core only through the preload bridge (Electron) or its own
// origin (browser preview). Inline styles are allowed for React's style attributes; inline scripts never.
// (`frame-ancestors` only takes effect as a header; in the meta tag browsers ignore it.)
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
