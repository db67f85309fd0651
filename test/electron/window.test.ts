import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Logger } from '../../src-main/core/logging/logger';
import type { AppOrigin } from '../../src-main/electron/app-origin';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../src-main/core/http/security-headers';
import {
  createMainWindow,
  hardenAllWebContents,
  hardenSession,
  hardenWebContents,
  mainWindowOptions,
  safeExternalUrl,
  type BrowserWindowConstructor,
} from '../../src-main/electron/window';
import { APP_INDEX_URL, FakeSession, FakeWebContents } from './fake-electron';

vi.mock('electron', () => {
  throw new Error('window hardening must not need the Electron runtime');
});

const app: AppOrigin = { kind: 'file', indexUrl: APP_INDEX_URL };

describe('mainWindowOptions', () => {
  const options = mainWindowOptions('/opt/reminder-desk/out/preload/preload.cjs');
  const prefs = options.webPreferences!;

  it('isolates the page from Node and Electron', () => {
    expect(prefs).toMatchObject({
      preload: '/opt/reminder-desk/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps the web platform protections on and risky features off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('has developer tools off unless asked for (development only)', () => {
    expect(prefs.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', { devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('waits for the first paint before showing the window', () => {
    expect(options.show).toBe(false);
  });
});

describe('createMainWindow', () => {
  it('builds the window from those options, does not load it yet, and shows it when ready', () => {
    const created: FakeBrowserWindow[] = [];
    class FakeBrowserWindow extends EventEmitter {
      show = vi.fn();
      loadURL = vi.fn();
      constructor(readonly options: unknown) {
        super();
        created.push(this);
      }
    }
    createMainWindow(FakeBrowserWindow as unknown as BrowserWindowConstructor, { preloadPath: '/p/preload.cjs' });
    const window = created[0]!;
    expect(window.options).toEqual(mainWindowOptions('/p/preload.cjs'));
    expect(window.loadURL).not.toHaveBeenCalled();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });
});

describe('safeExternalUrl', () => {
  it.each([
    ['https://www.twilio.com/console', 'https://www.twilio.com/console'],
    ['http://example.org', 'http://example.org/'],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['file://C:/Windows/System32/calc.exe', null],
    ['smb://server/share', null],
    ['ms-settings:privacy', null],
    ['data:text/html,<script>1</script>', null],
    ['https://user:pass@evil.example/', null],
    ['//evil.example', null],
    ['', null],
  ])('%s → %s', (url, expected) => {
    expect(safeExternalUrl(url)).toBe(expected);
  });
});

describe('hardenWebContents', () => {
  let contents: FakeWebContents;
  let openExternal: ReturnType<typeof vi.fn<(url: string) => Promise<void>>>;
  let log: { warn: Mock<Logger['warn']> };

  beforeEach(() => {
    contents = new FakeWebContents();
    openExternal = vi.fn(async () => {});
    log = { warn: vi.fn<Logger['warn']>() };
    hardenWebContents(contents as never, app, { openExternal, log });
  });

  it('lets the window move within the app itself', () => {
    expect(contents.fire('will-navigate', `${APP_INDEX_URL}#/settings`)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks navigation away and opens http(s) targets in the system browser instead', () => {
    expect(contents.fire('will-navigate', 'https://www.twilio.com/console')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://www.twilio.com/console');
  });

  it.each(['file:///etc/passwd', 'file:///opt/reminder-desk/out/renderer/other.html', 'javascript:alert(1)', 'chrome://settings'])(
    'blocks navigation to %s and opens nothing',
    (url) => {
      expect(contents.fire('will-navigate', url)).toBe(true);
      expect(openExternal).not.toHaveBeenCalled();
    },
  );

  it('blocks redirects away from the app', () => {
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-redirect', APP_INDEX_URL)).toBe(false);
  });

  it('denies window.open, sending http(s) links to the system browser', () => {
    expect(contents.windowOpenHandler!({ url: 'https://support.example.com/help' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://support.example.com/help');
  });

  it.each(['file:///C:/Windows/System32/calc.exe', 'javascript:alert(document.cookie)', 'https://user:pw@phish.example/', APP_INDEX_URL])(
    'denies window.open(%s) and does not open it anywhere',
    (url) => {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
      expect(openExternal).not.toHaveBeenCalled();
      expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/link refused/), expect.any(Object));
    },
  );

  it('survives the system browser failing to open', async () => {
    openExternal.mockRejectedValueOnce(new Error('no browser'));
    contents.windowOpenHandler!({ url: 'https://example.org/' });
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/could not open/), expect.any(Object)));
  });

  it('refuses to attach a <webview>', () => {
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every permission request and check', () => {
    const session = contents.session;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const callback = vi.fn();
      session.permissionRequestHandler!(contents, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.permissionCheckHandler!(contents, 'media', APP_INDEX_URL, {})).toBe(false);
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('hardenSession', () => {
  it('puts our CSP on http(s) responses, replacing any the server sent', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    const callback = vi.fn();
    session.headersListener!(
      { url: 'http://localhost:5173/', responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"], 'Content-Type': ['text/html'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('is applied once per session even when many webContents share it', () => {
    const session = new FakeSession();
    // FakeSession throws on a second onHeadersReceived, as Electron silently replaces the first.
    hardenWebContents(new FakeWebContents(session) as never, app, { openExternal: async () => {} });
    expect(() => hardenWebContents(new FakeWebContents(session) as never, app, { openExternal: async () => {} })).not.toThrow();
  });
});

describe('hardenAllWebContents', () => {
  it('hardens every webContents the app creates', () => {
    const electronApp = new EventEmitter();
    hardenAllWebContents(electronApp as never, app, { openExternal: async () => {} });
    const later = new FakeWebContents();
    electronApp.emit('web-contents-created', {}, later);
    expect(later.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(later.fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(later.session.permissionRequestHandler).not.toBeNull();
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  // Google's CSP evaluator, as electronegativity runs it on policies it can read.
  interface CspEvaluatorModule {
    CspParser: new (policy: string) => { csp: unknown };
    CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; description: string }[] };
    Version: { CSP3: unknown };
    severities: Record<string, number>;
  }
  const csp = createRequire(import.meta.url)('@doyensec/csp-evaluator') as CspEvaluatorModule;

  it('has no HIGH, MEDIUM or syntax finding', () => {
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const serious = [csp.severities.HIGH, csp.severities.SYNTAX, csp.severities.MEDIUM, csp.severities.HIGH_MAYBE];
    expect(findings.filter((finding) => serious.includes(finding.severity))).toEqual([]);
  });

  it('allows no inline or evaluated script and no plugin, base or form target', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("base-uri 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("form-action 'none'");
  });
});

describe('the renderer page', () => {
  const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');

  it('spells no policy of its own: the build writes the one policy in (core/http/security-headers.ts)', () => {
    expect(html).not.toMatch(/http-equiv="Content-Security-Policy"/i);
  });

  // The meta form is the header's policy minus what a meta tag cannot carry (browsers warn about
  // frame-ancestors there); the built page is checked where it exists (npm test builds it first).
  it.runIf(fs.existsSync(path.resolve(import.meta.dirname, '../../out/renderer/index.html')))('the built page carries the meta form of the one policy', () => {
    const built = fs.readFileSync(path.resolve(import.meta.dirname, '../../out/renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(built);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
  });

  it('loads no script from another origin and has no inline script', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).not.toMatch(/src="(https?:)?\/\//);
      expect(body!.trim()).toBe('');
    }
  });
});
