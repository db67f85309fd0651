import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../lib/run-command';
import { openBoardApp, REPO, sleep } from './board-app';

// The board with 10,000 appointments: first render (navigation start -> the count line shows every row and the
// first row is drawn), then frame times while status callbacks arrive at 200/s (requestAnimationFrame gaps
// and long tasks, recorded in the page).

const PROBE = `
window.__frames = [];
window.__longTasks = [];
window.__firstRender = null;
const tick = (t) => {
  window.__frames.push(t);
  if (window.__firstRender === null) {
    const count = document.querySelector('[data-testid="appointments-count"]');
    if (count && /^([\\d,]+) of \\1 /.test(count.textContent || '') && document.querySelector('[data-testid^="appointment-row-"]')) window.__firstRender = performance.now();
  }
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
} catch {}
`;

export interface BoardResult {
  appointments: number;
  firstRenderMs: number;
  events: number;
  eventsPerSecond: number;
  frames: number;
  maxFrameMs: number;
  p99FrameMs: number;
  longTasks: number;
  maxLongTaskMs: number;
}

export async function benchBoard(opts: { appointments: number; perSecond: number; seconds: number }): Promise<BoardResult> {
  const app = await openBoardApp(opts.appointments, { viewportHeight: 800, initScript: PROBE });
  try {
    await app.page.goto(app.preview.url);
    // Polled with evaluate (CDP), not waitForFunction: the page's CSP forbids the eval the latter needs.
    let firstRender: number | null = null;
    for (const deadline = Date.now() + 60_000; firstRender === null && Date.now() < deadline; await sleep(50)) {
      firstRender = (await app.page.evaluate('window.__firstRender')) as number | null;
    }
    if (firstRender === null) throw new Error('board: the 10,000 rows were not rendered within 60 s');
    const firstRenderMs = firstRender;
    await sleep(500); // let the first paint settle before the measured window
    const windowStart = (await app.page.evaluate('performance.now()')) as number;
    // The callbacks come from another process (as Twilio's would), at the asked rate whatever the engine is doing.
    const sidsFile = path.join(os.tmpdir(), `rd-bench-sids-${process.pid}.txt`);
    fs.writeFileSync(sidsFile, app.calls.map((c) => c.sid).join(','));
    const sender = await runCommand(process.execPath, [
      path.join(REPO, 'node_modules/tsx/dist/cli.mjs'),
      path.join(REPO, 'bench/ui/status-sender.ts'),
      app.statusUrl,
      app.authToken,
      String(opts.perSecond),
      String(opts.seconds),
      sidsFile,
    ]);
    fs.rmSync(sidsFile, { force: true });
    if (sender.code !== 0) throw new Error(`board: the status sender failed: ${sender.stderr}`);
    const sent = JSON.parse(sender.stdout.trim().split('\n').at(-1)!) as { sent: number; perSecond: number; non2xx: number };
    if (sent.non2xx > 0) throw new Error(`board: ${sent.non2xx} callbacks were not answered 2xx`);
    const total = sent.sent;
    const achieved = sent.perSecond;
    await sleep(300);
    const { frames, longTasks } = (await app.page.evaluate('({ frames: window.__frames, longTasks: window.__longTasks })')) as {
      frames: number[];
      longTasks: { start: number; duration: number }[];
    };
    const inWindow = frames.filter((t) => t >= windowStart);
    const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]!);
    gaps.sort((a, b) => a - b);
    const tasks = longTasks.filter((t) => t.start >= windowStart);
    return {
      appointments: opts.appointments,
      firstRenderMs,
      events: total,
      eventsPerSecond: achieved,
      frames: gaps.length,
      maxFrameMs: gaps.at(-1) ?? NaN,
      p99FrameMs: gaps[Math.max(0, Math.ceil(gaps.length * 0.99) - 1)] ?? NaN,
      longTasks: tasks.length,
      maxLongTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    };
  } finally {
    await app.close();
  }
}
