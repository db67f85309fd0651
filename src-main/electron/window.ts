import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { createLogger, type Logger } from '../core/logging/logger';
import { isAppUrl, type AppOrigin } from './app-origin';
import { CONTENT_SECURITY_POLICY, headerPolicyFor } from './content-security-policy';

// The main window and the rules every web page in the app lives under: it can show only our own page,
// opens nothing, asks for no permission, and leaves the app only as an http(s) link in the system browser.

/** Every switch spelled out, even where it is Electron's default, so the tests and reviewers see the whole set. */
export function mainWindowOptions(preloadPath: string, opts: { devTools?: boolean } = {}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Reminder Desk',
    // Shown on 'ready-to-show', so staff never see a blank white frame.
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // A file dropped outside the import area must not replace the app with that file.
      navigateOnDragDrop: false,
      // Middle-click would open links in a new window; there are no new windows.
      disableBlinkFeatures: 'Auxclick',
      enableWebSQL: false,
      safeDialogs: true,
      devTools: opts.devTools ?? false,
    },
  };
}

/** Only http(s) links without embedded credentials go to the system browser; returns the normalised URL or null. */
export function safeExternalUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname || parsed.username || parsed.password) return null;
  return parsed.href;
}

export interface HardeningDeps {
  openExternal: (url: string) => Promise<void>;
  log?: Pick<Logger, 'warn'>;
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'session'>;
type HardenableSession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  setDevicePermissionHandler: Session['setDevicePermissionHandler'];
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

const hardenedSessions = new WeakSet<object>();

function openOutside(url: string, deps: HardeningDeps, log: Pick<Logger, 'warn'>): void {
  const external = safeExternalUrl(url);
  if (!external) {
    log.warn('link refused: only http(s) links open, in the system browser', { scheme: url.split(':', 1)[0] ?? '' });
    return;
  }
  deps.openExternal(external).catch((error: unknown) => log.warn('could not open a link in the system browser', { error }));
}

/**
 * Permissions (camera, notifications, geolocation, USB…) are all refused: the app needs none. The CSP header
 * is added to http(s) responses, i.e. the development server; file:// pages carry it in a meta tag.
 * `policy` is the strict one unless the caller serves from electron-vite's dev server (see headerPolicyFor).
 */
export function hardenSession(session: HardenableSession, opts: { log?: Pick<Logger, 'warn'>; policy?: string } = {}): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);
  const log = opts.log ?? createLogger('window');
  const policy = opts.policy ?? CONTENT_SECURITY_POLICY;
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy the server sent, so ours is the only one and cannot be loosened by a second header.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}

/** Applied to every webContents the app creates (main window or anything else) from 'web-contents-created'. */
export function hardenWebContents(contents: HardenableContents, app: AppOrigin, deps: HardeningDeps): void {
  const log = deps.log ?? createLogger('window');
  const stayOrLeave = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url, app)) return;
    event.preventDefault();
    openOutside(url, deps, log);
  };
  contents.on('will-navigate', stayOrLeave);
  contents.on('will-redirect', stayOrLeave);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url, deps, log);
    return { action: 'deny' };
  });
  hardenSession(contents.session, { log, policy: headerPolicyFor(app) });
}

/** The subset of Electron's `app` used to harden every webContents. */
export interface WebContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): unknown;
}

export function hardenAllWebContents(app: WebContentsCreatedSource, origin: AppOrigin, deps: HardeningDeps): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin, deps));
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * Creates the main window without loading it, so the caller can wire IPC and event forwarding first and the
 * page never runs before its bridge has something behind it. Shown once the first frame is painted.
 */
export function createMainWindow(BrowserWindowClass: BrowserWindowConstructor, opts: { preloadPath: string; devTools?: boolean }): BrowserWindow {
  const window = new BrowserWindowClass(mainWindowOptions(opts.preloadPath, { devTools: opts.devTools ?? false }));
  window.once('ready-to-show', () => window.show());
  return window;
}
