import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../src-main/core/engine';
import { startPreviewServer, type PreviewServer } from '../../src-main/preview/preview-server';
import { upsertAppointments } from '../../src-main/core/store/appointments';
import { createBatch } from '../../src-main/core/store/batches';
import { listBatchAttempts, markDialing } from '../../src-main/core/store/call-attempts';
import { recordCallPlaced } from '../../src-main/core/store/status-events';
import { launchBrowser } from '../../test/e2e/browser';
import { postSignedStatus, STATUS_SEQUENCE } from '../lib/post-signed-status';

// The real engine (practice mode) + the browser preview + headless Chromium, with `count` appointments whose
// calls are already placed (SIDs known, status URL registered), so the bench can post signed status callbacks
// for them and watch the board change.

export const REPO = path.resolve(import.meta.dirname, '..', '..');
const RENDERER_DIR = path.join(REPO, 'out/renderer');
export const ROW_HEIGHT = 56;

export interface BoardApp {
  engine: Engine;
  preview: PreviewServer;
  browser: Browser;
  page: Page;
  /** CallSid -> appointment id, in appointment order. */
  calls: { sid: string; appointmentId: number }[];
  /** Places a new call for each of these appointments (a new batch), as the runner would. */
  placeCalls(appointmentIds: readonly number[]): { sid: string; appointmentId: number }[];
  statusUrl: string;
  authToken: string;
  close(): Promise<void>;
}

export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export async function openBoardApp(count: number, opts: { viewportHeight: number; initScript?: string }): Promise<BoardApp> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('The renderer is not built (out/renderer): run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bench-board-'));
  fs.writeFileSync(path.join(dataDir, 'settings.yaml'), 'server:\n  port: 0\n');
  const engine = await Engine.open({ dataDir, cwd: dataDir, env: {}, practice: true, simulator: { timeScale: 0.05, seed: 7 } });
  await engine.start();
  const handlers = engine.handlers();
  await handlers['setup/complete']({});
  const statusUrl = `${engine.listener.localUrl()}/status`;
  const authToken = engine.account.authToken()!;
  const db = engine.db;
  const now = new Date().toISOString();
  let appointmentIds: number[] = [];
  // One transaction for the set-up: 10,000 FULL-sync commits would take the bench's time budget on their own.
  db.transaction(() => {
    appointmentIds = upsertAppointments(
      db,
      Array.from({ length: count }, (_, i) => ({
        dedupeKey: `bench-${i}`,
        externalId: null,
        name: `Patient ${String(i).padStart(5, '0')}`,
        phoneNumber: `+1212555${String(i % 10_000).padStart(4, '0')}`,
        email: null,
        appointmentAt: new Date(Date.now() + 86_400_000 + i * 60_000).toISOString(),
        location: 'Main St',
      })),
      null,
      now,
      { practice: true }, // the engine runs in practice mode: the board shows that mode's data only
    ).ids;
  })();
  /** A new batch for these appointments, every call placed (dialing + SID), in one transaction. */
  const placeCalls = (ids: readonly number[]): BoardApp['calls'] =>
    db.transaction(() => {
      const placed: BoardApp['calls'] = [];
      const batch = createBatch(db, { appointmentIds: [...ids], simulated: true, now: new Date() });
      for (const attempt of listBatchAttempts(db, batch.id)) {
        const at = new Date().toISOString();
        markDialing(db, attempt.id, { statusCallbackUrl: statusUrl, twimlUrl: null, from: '+15005550006', to: '+12125550100', now: at });
        const sid = `CA${attempt.id.toString(16).padStart(32, '0')}`;
        recordCallPlaced(db, attempt.id, sid, at);
        placed.push({ sid, appointmentId: attempt.appointmentId });
      }
      return placed;
    })();
  const calls = placeCalls(appointmentIds);
  const preview = await startPreviewServer({
    handlers,
    events: engine.events,
    staticDir: RENDERER_DIR,
    port: 0,
    exportFile: (request, writable) => engine.batches.exportFile(request, writable),
  });
  const browser = await launchBrowser(30_000);
  const context = await browser.newContext({ viewport: { width: 1400, height: opts.viewportHeight } });
  const page = await context.newPage();
  if (opts.initScript) await page.addInitScript(opts.initScript);
  return {
    engine,
    preview,
    browser,
    page,
    calls,
    placeCalls,
    statusUrl,
    authToken,
    async close() {
      await browser.close().catch(() => undefined);
      await preview.close();
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts one signed status callback (sequence 0..3 = initiated..completed); resolves with the HTTP status. */
export function postStatus(app: BoardApp, agent: http.Agent, sid: string, seq: number): Promise<number> {
  return postSignedStatus(app, agent, sid, seq);
}

export function statusName(seq: number): string {
  return STATUS_SEQUENCE[seq]!;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
