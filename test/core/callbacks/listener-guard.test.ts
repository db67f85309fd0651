// The public listener's guard (callbacks/listener-guard.ts) on its own, each rule with a test of its own: handler
// slots, the tarpit for forged signatures, the summary labels, the inspector's excerpts, and the low-disk mode.
// The same rules under real load are test/core/callbacks/listener-under-attack.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ListenerGuard, type ListenerGuardOptions } from '../../../src-main/core/callbacks/listener-guard';
import { EXCERPT_MARKER } from '../../../src-main/core/callbacks/inspector-excerpt';
import { tempDb } from '../batches/fixtures';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function guard(opts: Partial<ListenerGuardOptions> = {}) {
  const store = tempDb();
  const log = { warn: vi.fn(), info: vi.fn() };
  const g = new ListenerGuard({ db: store.db, log, clock: Date.now, ...opts });
  cleanups.push(() => store.cleanup(), () => g.stop());
  return { guard: g, log };
}

const ROW = {
  receivedAt: '2030-01-14T15:00:00.000Z',
  method: 'POST',
  path: '/status',
  query: '',
  headers: { host: 'abc.ngrok.app', 'x-twilio-signature': 'forged=' },
  params: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`Field${i}`, 'v'.repeat(500)])),
  callSid: null,
  signatureVerdict: 'invalid' as const,
  rejectionReason: 'forged',
  bodyBytes: 40_000,
};

describe('ListenerGuard', () => {
  it('lets maxConcurrentRequests requests past their body at once, answers the next 503, and frees the slot when a response ends', async () => {
    const { guard: g } = guard({ maxConcurrentRequests: 1 });
    const held: ServerResponse[] = [];
    const server = http.createServer(async (req, res) => {
      const body = await g.admitBody(req, res, { rejectionReason: null }, () => undefined);
      if (body === null) return;
      if (req.url === '/hold') held.push(res);
      else res.end(`ok ${body.length}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = (p: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${p}`;

    const first = fetch(url('/hold'), { method: 'POST', body: 'a=1' });
    await vi.waitFor(() => expect(held).toHaveLength(1));
    const busy = await fetch(url('/next'), { method: 'POST', body: 'b=2' });
    expect({ status: busy.status, retryAfter: busy.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '1' });

    held[0]!.end('done');
    expect(await (await first).text()).toBe('done');
    const after = await fetch(url('/next'), { method: 'POST', body: 'b=2' });
    expect({ status: after.status, text: await after.text() }).toEqual({ status: 200, text: 'ok 3' });
  });

  it('answers forged signatures at once up to twice the rate, then makes each wait the tarpit; a closed connection cancels its wait', () => {
    vi.useFakeTimers();
    const { guard: g } = guard({ rejectionsPerSecond: 2, rejectionTarpitMs: 1_000, clock: () => 0 });
    const answered: number[] = [];
    const closers: (() => void)[] = [];
    const res = () => ({ once: (event: string, fn: () => void) => event === 'close' && closers.push(fn) }) as unknown as ServerResponse;
    for (let i = 0; i < 6; i++) g.answerRejection(res(), () => answered.push(i));
    expect(answered).toEqual([0, 1, 2, 3]); // a burst of 2 × 2 per second
    closers[1]!(); // the client of the sixth left
    vi.advanceTimersByTime(999);
    expect(answered).toEqual([0, 1, 2, 3]);
    vi.advanceTimersByTime(1);
    expect(answered).toEqual([0, 1, 2, 3, 4]);

    const { guard: noTarpit } = guard({ rejectionsPerSecond: 1, rejectionTarpitMs: 0, clock: () => 0 });
    const all: number[] = [];
    for (let i = 0; i < 5; i++) noTarpit.answerRejection(res(), () => all.push(i));
    expect(all).toEqual([0, 1, 2, 3, 4]);
  });

  it('counts rejections under fixed labels for the summary line, and nothing for a request that was accepted', () => {
    const { guard: g, log } = guard({ rejectionLogIntervalMs: 60_000 });
    g.noteRejection(403, 'invalid', 'forged');
    g.noteRejection(403, 'invalid', 'forged');
    g.noteRejection(403, 'missing', 'no signature');
    g.noteRejection(413, 'not-checked', 'too large');
    g.noteRejection(200, 'valid', 'keypad answer for a call that ended');
    g.noteRejection(204, 'valid', null);
    g.stop(); // writes what was counted
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith('Rejected 5 request(s) on the public listener in the last 60 s', {
      rejected: { '403 forged': 2, '403 unsigned': 1, '413': 1, '200 keypad answer ignored': 1 },
    });
  });

  it('keeps a valid request whole, a rejected one as an excerpt with its real size, and no rejected row while the disk is low', () => {
    vi.useFakeTimers();
    let free = 10 * 1024 ** 3;
    const { guard: g, log } = guard({ checkDiskSpace: () => ({ freeBytes: free, totalBytes: 100 * 1024 ** 3, low: free < 1024 ** 3 }) });
    g.start();
    const valid = { ...ROW, signatureVerdict: 'valid' as const, rejectionReason: null };
    expect(g.inspectorRow(valid)).toBe(valid);
    const excerpt = g.inspectorRow(ROW)!;
    expect(excerpt.bodyBytes).toBe(40_000);
    expect(Object.keys(excerpt.params!).length).toBeLessThan(60);
    expect(JSON.stringify(excerpt.params)).toContain(EXCERPT_MARKER);
    expect(g.inspectorRow({ ...ROW, params: null })!.bodyBytes).toBeNull();
    expect(g.diskWarning()).toBeNull();

    free = 200 * 1024 ** 2;
    vi.advanceTimersByTime(60_000); // the minute's check
    expect(g.inspectorRow(ROW)).toBeNull();
    expect(g.inspectorRow(valid)).toBe(valid); // Twilio's callbacks are still recorded
    expect(g.diskWarning()).toMatch(/^Low disk space: 200 MB free/);
    expect(log.warn).toHaveBeenCalledTimes(1);

    free = 10 * 1024 ** 3;
    vi.advanceTimersByTime(60_000);
    expect(g.diskWarning()).toBeNull();
    expect(log.info).toHaveBeenCalledWith('Disk space is back above the low mark', { freeBytes: free });
    expect(g.inspectorRow(ROW)).not.toBeNull();
  });
});
