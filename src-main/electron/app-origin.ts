import { pathToFileURL } from 'node:url';

// Which URLs are "our app": the only pages allowed to stay in the window and the only senders the IPC gate
// answers. Production loads one file (out/renderer/index.html); development loads electron-vite's dev server.

export type AppOrigin =
  | { kind: 'file'; /** file:// URL of the built index.html */ indexUrl: string }
  | { kind: 'dev-server'; /** e.g. http://localhost:5173 */ origin: string; url: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `ELECTRON_RENDERER_URL` is set by `electron-vite dev`. A packaged app ignores it: otherwise anyone able to set
 * an environment variable could point the window, and with it the API bridge, at a page of their choosing.
 * Even in development only a loopback http(s) address is accepted.
 */
export function resolveAppOrigin(opts: { rendererUrl: string | undefined; rendererIndexFile: string; isPackaged: boolean }): AppOrigin {
  if (opts.rendererUrl && !opts.isPackaged) {
    const url = new URL(opts.rendererUrl);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL must be a loopback http(s) address, not ${opts.rendererUrl}`);
    }
    return { kind: 'dev-server', origin: url.origin, url: url.href };
  }
  return { kind: 'file', indexUrl: pathToFileURL(opts.rendererIndexFile).href };
}

/** True when `url` is the app's own page; a query string or #fragment (client-side routes) does not matter. */
export function isAppUrl(url: string, app: AppOrigin): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (app.kind === 'dev-server') return parsed.origin === app.origin;
  const index = new URL(app.indexUrl);
  // Every file:// URL has the origin "null", so compare the exact file instead of the origin.
  return parsed.protocol === 'file:' && parsed.host === index.host && parsed.pathname === index.pathname;
}

/** The URL the main window loads. */
export function appEntryUrl(app: AppOrigin): string {
  return app.kind === 'dev-server' ? app.url : app.indexUrl;
}
