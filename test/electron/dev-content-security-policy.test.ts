import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { createServer, resolveConfig, type Plugin } from 'vite';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, developmentContentSecurityPolicy, headerPolicyFor, inlineScriptHashes, withDevelopmentPolicy } from '../../src-main/electron/content-security-policy';
import { devContentSecurityPolicy } from '../../src-main/electron/dev-csp-plugin';
import { contentSecurityPolicyMeta } from '../../src-main/electron/csp-meta-plugin';
import { META_CONTENT_SECURITY_POLICY } from '../../src-main/core/http/security-headers';
import { launchBrowser } from '../e2e/browser';

vi.mock('electron', () => {
  throw new Error('not needed');
});

// `electron-vite dev` serves index.html with React Refresh's inline preamble, which the strict policy blocks.
// The allowance is for the dev server only: exact hashes in the meta tag, never part of a build.

const rendererRoot = path.resolve(import.meta.dirname, '../../src-renderer');
const indexHtml = fs.readFileSync(path.join(rendererRoot, 'index.html'), 'utf8');
const metaPolicy = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];

describe('developmentContentSecurityPolicy', () => {
  it('adds only the named inline scripts and loopback WebSockets to the strict policy', () => {
    const policy = developmentContentSecurityPolicy(["'sha256-abc='"]);
    expect(policy).toContain("script-src 'self' 'sha256-abc=';");
    expect(policy).toContain("connect-src 'self' ws://localhost:* ws://127.0.0.1:*;");
    expect(policy).not.toMatch(/script-src[^;]*(unsafe-eval|unsafe-inline)/);
    expect(policy.replace(" 'sha256-abc='", '').replace(' ws://localhost:* ws://127.0.0.1:*', '')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('hashes inline scripts the way browsers do, skipping scripts with a src', () => {
    const html = '<script type="module">console.log(1)</script><script type="module" src="/@vite/client"></script>';
    // sha256("console.log(1)"), base64
    expect(inlineScriptHashes(html)).toEqual(["'sha256-CihokcEcBW4atb/CW/XWsvWwbTjqwQlE9nj9ii5ww5M='"]);
  });

  it('refuses a page without the meta tag rather than serving it unprotected', () => {
    expect(() => withDevelopmentPolicy('<html><head></head></html>')).toThrow(/no Content-Security-Policy meta tag/);
  });
});

describe('the dev-only Vite plugin', () => {
  it("lets React Refresh's preamble run on the dev server: every inline script it serves is in the page's policy", async () => {
    const server = await createServer({
      configFile: false,
      root: rendererRoot,
      logLevel: 'silent',
      appType: 'custom',
      server: { middlewareMode: true, ws: false },
      plugins: [contentSecurityPolicyMeta(), react(), devContentSecurityPolicy()],
    });
    try {
      const served = await server.transformIndexHtml('/index.html', indexHtml);
      const inline = inlineScriptHashes(served);
      expect(served).toContain('injectIntoGlobalHook');
      expect(inline.length).toBeGreaterThan(0);
      const policy = metaPolicy(served)!;
      for (const hash of inline) expect(policy).toContain(hash);
      expect(policy).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    } finally {
      await server.close();
    }
  });

  it('is not part of a build, so the built page keeps the strict policy', async () => {
    const config = await resolveConfig({ configFile: false, root: rendererRoot, logLevel: 'silent', plugins: [react(), devContentSecurityPolicy()] }, 'build');
    expect(config.plugins.map((plugin) => plugin.name)).not.toContain('reminder-desk:dev-content-security-policy');
    const served = await resolveConfig({ configFile: false, root: rendererRoot, logLevel: 'silent', plugins: [devContentSecurityPolicy()] }, 'serve');
    expect(served.plugins.map((plugin) => plugin.name)).toContain('reminder-desk:dev-content-security-policy');
    // index.html spells no policy; the build writes the meta form of the one policy (csp-meta-plugin.ts).
    expect(metaPolicy(indexHtml)).toBeUndefined();
    const built = await resolveConfig({ configFile: false, root: rendererRoot, logLevel: 'silent', plugins: [contentSecurityPolicyMeta(), react(), devContentSecurityPolicy()] }, 'build');
    expect(built.plugins.map((plugin) => plugin.name)).toContain('reminder-desk:content-security-policy-meta');
    const handler = contentSecurityPolicyMeta().transformIndexHtml as { handler: (html: string) => string };
    expect(metaPolicy(handler.handler(indexHtml))).toBe(META_CONTENT_SECURITY_POLICY);
  });
});

describe('the dev server page in Chromium', () => {
  /** What the main process does to the dev server's responses (window.ts hardenSession): its policy as a header. */
  const headerLikeMainProcess = (origin: { kind: 'file' | 'dev-server' }): Plugin => ({
    name: 'test:csp-header-like-electron-main',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', headerPolicyFor(origin));
        next();
      });
    },
  });

  /** Serves src-renderer like `electron-vite dev` on 127.0.0.1:0; reports CSP violations and whether the preamble ran. */
  async function openDevPage(plugins: Plugin[]) {
    const server = await createServer({
      configFile: false,
      root: rendererRoot,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
      plugins: [contentSecurityPolicyMeta(), react(), ...plugins],
    });
    await server.listen();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // Strings: these run in the page (this tsconfig has no DOM types).
      await page.addInitScript({
        content: "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));",
      });
      await page.goto(server.resolvedUrls!.local[0]!, { waitUntil: 'load', timeout: 15_000 });
      // The preamble defines $RefreshReg$; the app's modules then render into #root.
      await page.waitForFunction("document.getElementById('root').childElementCount > 0 || window.cspViolations.length > 0", undefined, { timeout: 15_000 });
      return (await page.evaluate(
        "({ violations: window.cspViolations, preambleRan: typeof window.$RefreshReg$ === 'function', rendered: document.getElementById('root').childElementCount > 0 })",
      )) as { violations: string[]; preambleRan: boolean; rendered: boolean };
    } finally {
      await browser.close();
      await server.close();
    }
  }

  // Vite puts the preamble before the meta tag, so the header is what blocked `electron-vite dev`; both are loosened.
  it('runs React Refresh and the app with no CSP violation; with the strict policy the preamble is blocked', async () => {
    const allowed = await openDevPage([headerLikeMainProcess({ kind: 'dev-server' }), devContentSecurityPolicy()]);
    expect(allowed).toEqual({ violations: [], preambleRan: true, rendered: true });
    const strict = await openDevPage([headerLikeMainProcess({ kind: 'file' })]);
    expect(strict.violations.some((line) => line.startsWith('script-src'))).toBe(true);
    expect(strict.preambleRan).toBe(false);
  }, 60_000);
});
