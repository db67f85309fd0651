import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ApiHandlers, EditableSettings } from '../../src-main/core/api/contract';
import { Engine } from '../../src-main/core/engine';
import { startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';
import { assertChromiumInstalled, launchBrowser as launchChromium } from './browser';

// End-to-end harness: a fresh data dir, the real Engine in practice mode (its built-in Twilio simulator at a
// fast time scale), the browser preview on port 0 and the BUILT renderer, driven by headless Debian Chromium.

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(REPO_ROOT, 'out/renderer');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results/screenshots');
export const FAILURE_DIR = path.join(REPO_ROOT, 'test-results/e2e-failures');
export const SAMPLE_CSV = path.join(REPO_ROOT, 'resources/sample-appointments.csv');

/** Every wait in these tests is bounded by this (the simulator finishes a whole batch in a few seconds). */
export const WAIT_MS = 15_000;

/** Simulated seconds per real second: 0.05 keeps each call's live states on screen for a visible moment. */
const SIMULATOR_TIME_SCALE = 0.05;

const SAMPLE_EVE_MS = Date.parse('2026-11-24T09:00:00-05:00');
const CLOCK_SHIFT_MS = Date.now() - SAMPLE_EVE_MS;
/** The clock the app under test reads (tests that make "yesterday" must use it too). */
export const sampleEveClock = (): number => Date.now() - CLOCK_SHIFT_MS;

export function assertRendererBuilt(): void {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`The renderer is not built (${RENDERER_DIR}/index.html is missing). Run "npx electron-vite build" (npm test does it) before the e2e tests.`);
  }
  assertChromiumInstalled();
}

export async function launchBrowser(): Promise<Browser> {
  return launchChromium(WAIT_MS);
}

/**
 * One browser for a test file: launched before its tests (once the renderer is known to be built), closed after.
 * Call it inside the file's describe; the getter returns the browser while the tests run.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    assertRendererBuilt();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** Settings that make a batch finish quickly and at any hour: the defaults pace calls at 1/s within 09:00–19:00. */
export const FAST_SETTINGS: Partial<EditableSettings> = {
  callsPerSecond: 20,
  maxRetries: 0,
  callingHours: { start: '00:00', end: '23:59' },
};

export interface AppUnderTest {
  engine: Engine;
  handlers: ApiHandlers;
  preview: PreviewServer;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  /** Console lines and page errors, saved with a screenshot when a test fails. */
  log: string[];
}

export interface AppOptions {
  /** Start in practice mode with setup already complete (default); false leaves the first-run wizard. */
  ready?: boolean;
  /** Runs before the page is first loaded, e.g. to hold back a request with page.route. */
  beforeLoad?: (page: Page) => Promise<void>;
  /** Writes files into the fresh data folder before the engine opens it (e.g. a secrets.json). */
  prepareDataDir?: (dataDir: string) => void;
  /** Marks setup complete without practice mode (a clinic already set up for real calls). */
  setUpForRealCalls?: boolean;
}

/** The callback server on a free port: the default 8080 may be taken on the machine running the tests. */
const E2E_SETTINGS_YAML = 'server:\n  port: 0\n';

async function openApp(browser: Browser, options: AppOptions): Promise<AppUnderTest> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reminder-desk-e2e-'));
  const ready = options.ready ?? true;
  fs.writeFileSync(path.join(dataDir, 'settings.yaml'), E2E_SETTINGS_YAML);
  options.prepareDataDir?.(dataDir);
  const engine = await Engine.open({
    dataDir,
    cwd: dataDir, // never pick up a ./config/settings.yaml from the repository
    env: {},
    practice: ready && !options.setUpForRealCalls ? true : undefined,
    simulator: { timeScale: SIMULATOR_TIME_SCALE, seed: 7 },
    // The sample's appointments are on Nov 25-26, 2026 and past appointments are never called (issue 8): the
    // app runs on a clock that reads the eve of those days and then moves at real speed.
    clock: sampleEveClock,
  });
  await engine.start();
  const handlers = engine.handlers();
  const settings = await handlers['settings/update'](FAST_SETTINGS);
  if (!settings.callsPerSecond) throw new Error('settings/update did not apply');
  if (ready || options.setUpForRealCalls) await handlers['setup/complete']({});
  const log: string[] = [];
  const preview = await startPreviewServer({
    handlers,
    events: engine.events,
    staticDir: RENDERER_DIR,
    port: 0,
    exportFile: (request, writable) => engine.batches.exportFile(request, writable),
    onInternalError: (operation, error) => log.push(`[core] ${operation}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('console', (message) => log.push(`[console.${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[pageerror] ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => log.push(`[requestfailed] ${request.method()} ${new URL(request.url()).pathname} ${request.failure()?.errorText ?? ''}`));
  await options.beforeLoad?.(page);
  await page.goto(preview.url, { timeout: WAIT_MS });
  return { engine, handlers, preview, context, page, dataDir, log };
}

async function closeApp(app: AppUnderTest): Promise<void> {
  await app.context.close().catch(() => undefined);
  await app.preview.close();
  await app.engine.stop();
  fs.rmSync(app.dataDir, { recursive: true, force: true });
}

/**
 * Runs `body` against a fresh app. On failure the page's screenshot, HTML and console log are kept under
 * test-results/e2e-failures/<name>.* before the error is rethrown.
 */
export async function withApp(browser: Browser, name: string, body: (app: AppUnderTest) => Promise<void>, options: AppOptions = {}): Promise<void> {
  const app = await openApp(browser, options);
  try {
    await body(app);
    if (app.log.some((line) => line.startsWith('[pageerror]'))) throw new Error(`The page threw:\n${app.log.filter((l) => l.startsWith('[pageerror]')).join('\n')}`);
  } catch (error) {
    fs.mkdirSync(FAILURE_DIR, { recursive: true });
    const stem = path.join(FAILURE_DIR, name.replace(/[^a-z0-9-]+/gi, '-'));
    await app.page.screenshot({ path: `${stem}.png`, fullPage: true, timeout: 5_000 }).catch(() => undefined);
    fs.writeFileSync(`${stem}.html`, await app.page.content().catch(() => ''));
    fs.writeFileSync(`${stem}.log`, app.log.join('\n'));
    throw error;
  } finally {
    await closeApp(app);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), timeout: WAIT_MS });
}

/** Picks the sample file through the real file chooser, as a receptionist would. */
export async function importThroughChooser(page: Page, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: WAIT_MS }), page.getByTestId('import-button').click()]);
  await chooser.setFiles(file);
  await page.getByTestId('import-summary').waitFor({ timeout: WAIT_MS });
}

// The page-side global used below (the Node test project has no DOM types).
declare const requestAnimationFrame: (callback: () => void) => number;

/** The two window sizes every screen is checked at: a common laptop and the smallest supported window. */
export const VIEWPORTS = [
  { width: 1366, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** Screenshots of the same screen at 1366×800 and at 1024×700 (`<name>-1366.png`, `<name>-1024.png`); ends at 1366×800. */
export async function screenshotBothSizes(page: Page, name: string, focus?: Locator): Promise<void> {
  for (const size of [...VIEWPORTS].reverse()) {
    await page.setViewportSize(size);
    // The part of a long screen the shot is about (e.g. a confirmation below the fold).
    await focus?.scrollIntoViewIfNeeded();
    // Let layout settle (virtualised rows re-measure on resize).
    await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
    await screenshot(page, `${name}-${size.width}`);
  }
}

/**
 * The sample appointments moved into the future (first day = `daysAhead` days from now, the second the day after),
 * so no rule skips them as already passed. Same names and numbers: the last two digits still pick each simulated
 * outcome. Returns the file and the two clinic days (YYYY-MM-DD).
 */
export function writeFutureSample(dir: string, daysAhead = 2): { file: string; days: [string, string] } {
  const day = (offset: number) => {
    const date = new Date(Date.now() + offset * 86_400_000);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  };
  const days: [string, string] = [day(daysAhead), day(daysAhead + 1)];
  const text = fs.readFileSync(SAMPLE_CSV, 'utf8').replaceAll('2026-11-25', days[0]).replaceAll('2026-11-26', days[1]);
  const file = path.join(dir, 'future-appointments.csv');
  fs.writeFileSync(file, text);
  return { file, days };
}
