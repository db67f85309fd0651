import http from 'node:http';
import { openBoardApp, percentile, postStatus, sleep, statusName, wallNow } from './board-app';

// Status freshness: a signed callback goes in, and the board in the browser preview (1366 x 800, what staff
// see) shows the new status. Per event: (wall-clock time the row's status chip changed in the page) - (time the
// POST was sent), both read from the same system clock. The rows on screen get a new call each round (a new
// batch, as a retry would), each call moving initiated -> ringing -> in-progress -> completed.

// Runs in the page: logs every status change of every chip.
const OBSERVER = `
window.__changes = [];
const note = (el, t) => window.__changes.push([el.getAttribute('data-testid'), el.getAttribute('data-status'), t]);
new MutationObserver((mutations) => {
  const t = performance.timeOrigin + performance.now();
  for (const m of mutations) {
    if (m.type === 'attributes' && m.target.matches && m.target.matches('[data-testid^="call-status-"]')) note(m.target, t);
    for (const node of m.addedNodes || []) if (node.querySelectorAll) for (const el of node.querySelectorAll('[data-testid^="call-status-"]')) note(el, t);
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
`;

export interface FreshnessResult {
  events: number;
  perSecond: number;
  p50: number;
  p95: number;
  max: number;
  unseen: number;
}

export async function benchFreshness(opts: { events: number; rowsOnScreen: number; perSecond: number }): Promise<FreshnessResult> {
  const app = await openBoardApp(opts.rowsOnScreen, { viewportHeight: 800, initScript: OBSERVER });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    await app.page.goto(app.preview.url);
    const last = app.calls.at(-1)!;
    await app.page.getByTestId(`call-status-${last.appointmentId}`).waitFor({ timeout: 30_000 });
    const ids = app.calls.map((c) => c.appointmentId);
    const sent: { testId: string; status: string; at: number }[] = [];
    const posts: Promise<number>[] = [];
    const interval = 1000 / opts.perSecond;
    const start = wallNow();
    let calls = app.calls;
    while (sent.length < opts.events) {
      for (let seq = 0; seq < 4 && sent.length < opts.events; seq += 1) {
        for (const call of calls) {
          if (sent.length >= opts.events) break;
          await sleep(start + sent.length * interval - wallNow());
          sent.push({ testId: `call-status-${call.appointmentId}`, status: statusName(seq), at: wallNow() });
          posts.push(postStatus(app, agent, call.sid, seq));
        }
      }
      calls = app.placeCalls(ids);
    }
    const statuses = await Promise.all(posts);
    if (statuses.some((s) => s !== 204)) throw new Error(`freshness: callbacks answered ${[...new Set(statuses)].join(', ')}`);
    await sleep(1_000);
    const changes = (await app.page.evaluate('window.__changes')) as [string, string, number][];
    const latencies: number[] = [];
    let unseen = 0;
    for (const event of sent) {
      const change = changes.find(([testId, status, t]) => testId === event.testId && status === event.status && t >= event.at - 1);
      if (!change) unseen += 1;
      else latencies.push(Math.max(0, change[2] - event.at));
    }
    return { events: sent.length, perSecond: opts.perSecond, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), unseen };
  } finally {
    agent.destroy();
    await app.close();
  }
}
