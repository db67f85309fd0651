import http from 'node:http';
import { openBoardApp, postStatus, sleep, wallNow } from './board-app';

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
    if (count && /^(\\d+) of \\1 /.test(count.textContent || '') && document.querySelector('[data-testid^="appointment-row-"]')) window.__firstRender = performance.now();
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
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
    const total = opts.perSecond * opts.seconds;
    const interval = 1000 / opts.perSecond;
    const posts: Promise<number>[] = [];
    const start = wallNow();
    for (let i = 0; i < total; i += 1) {
      await sleep(start + i * interval - wallNow());
      // Spread over the whole board, the first rows (on screen) included; each call moves forward once.
      const call = app.calls[(i * 7919) % app.calls.length]!;
      posts.push(postStatus(app, agent, call.sid, 1 + Math.floor(i / app.calls.length)));
    }
    const statuses = await Promise.all(posts);
    const achieved = total / ((wallNow() - start) / 1000);
    if (statuses.some((s) => s !== 204)) throw new Error(`board: callbacks answered ${[...new Set(statuses)].join(', ')}`);
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
    agent.destroy();
    await app.close();
  }
}
