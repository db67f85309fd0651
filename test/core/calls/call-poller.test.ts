import { afterEach, describe, expect, it } from 'vitest';
import type { CallStatus } from '../../../src-main/core/domain';
import { createStatusCommitQueue } from '../../../src-main/core/callbacks/status-commit';
import { CallPoller } from '../../../src-main/core/calls/call-poller';
import { createBatch } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import type { Db } from '../../../src-main/core/store/database';
import { listCallEvents, recordCallPlaced, recordStatusEvent } from '../../../src-main/core/store/status-events';
import { addAppointments, FakeCallsApi, FakeTime, flush, restError, tempDb } from '../batches/fixtures';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/** Places calls the way the runner does (dialing row, create, SID stored), without a runner. */
async function placeCalls(db: Db, fake: FakeCallsApi, time: FakeTime, scripts: CallStatus[][], statusCallbackUrl: string | null = null) {
  const phones = scripts.map((_, i) => `+1212555010${i}`);
  const batch = createBatch(db, { appointmentIds: addAppointments(db, phones), simulated: false, now: new Date(time.now) });
  const attempts = listBatchAttempts(db, batch.id);
  for (const [i, attempt] of attempts.entries()) {
    const now = new Date(time.now).toISOString();
    markDialing(db, attempt.id, { statusCallbackUrl, twimlUrl: null, from: '+15005550006', to: phones[i]!, now });
    fake.onCreate = () => scripts[i]!;
    const call = await fake.create({ to: phones[i]!, from: '+15005550006' });
    recordCallPlaced(db, attempt.id, call.sid, now);
  }
  return listBatchAttempts(db, batch.id);
}

function setup() {
  const store = tempDb();
  cleanups.push(store.cleanup);
  const time = new FakeTime();
  const fake = new FakeCallsApi(time.clock);
  const poller = new CallPoller({ db: store.db, calls: () => fake, clock: time.clock, timers: time.timers, reportUnknownAfterMs: 60_000 });
  cleanups.unshift(() => poller.stop());
  return { ...store, time, fake, poller };
}

describe('CallPoller', () => {
  it('fetches from 10 s after dialing, backing off, until the status is final (source poll)', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['queued', 'ringing', 'in-progress', 'completed']]);
    const fetchTimes: number[] = [];
    const start = t.time.now;
    t.fake.onFetch = () => fetchTimes.push(t.time.now - start);
    const updates: string[] = [];
    t.poller.on('call-updated', (a) => updates.push(a.status!));

    t.poller.track(attempt!);
    await t.time.advance(9_999);
    expect(fetchTimes).toEqual([]);
    await t.time.advance(10 * 60_000);

    expect(fetchTimes).toEqual([10_000, 20_000, 35_000, 57_500]);
    const stored = getCallAttempt(t.db, attempt!.id)!;
    expect(stored).toMatchObject({ status: 'completed', isFinal: true, statusSource: 'poll', answered: true, answeredBy: 'human', durationSeconds: 12 });
    expect(listCallEvents(t.db, attempt!.callSid!).map((e) => [e.source, e.callStatus])).toEqual([
      ['poll', 'queued'],
      ['poll', 'ringing'],
      ['poll', 'in-progress'],
      ['poll', 'completed'],
    ]);
    expect(updates).toEqual(['queued', 'ringing', 'in-progress', 'completed']);
    expect(t.poller.trackedCount).toBe(0);
    expect(t.time.pendingTimers).toBe(0);
  });

  it('caps the interval at 60 s for a long call', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['in-progress']]);
    const fetchTimes: number[] = [];
    const start = t.time.now;
    t.fake.onFetch = () => fetchTimes.push(t.time.now - start);
    t.poller.track(attempt!);
    await t.time.advance(10 * 60_000);
    const gaps = fetchTimes.slice(1).map((at, i) => at - fetchTimes[i]!);
    expect(Math.max(...gaps)).toBe(60_000);
    expect(gaps.at(-1)).toBe(60_000);
    expect(getCallAttempt(t.db, attempt!.id)).toMatchObject({ status: 'in-progress', isFinal: false });
  });

  it('start() resumes every open polling-mode call and leaves callback-mode calls to the callbacks', async () => {
    const t = setup();
    const polled = await placeCalls(t.db, t.fake, t.time, [['completed']]);
    const withCallbacks = await placeCalls(t.db, t.fake, t.time, [['completed']], 'https://abc123.ngrok.io/status');

    t.poller.start();
    expect(t.poller.isTracking(polled[0]!.id)).toBe(true);
    expect(t.poller.isTracking(withCallbacks[0]!.id)).toBe(false);
    await t.time.advance(60_000);
    expect(getCallAttempt(t.db, polled[0]!.id)?.status).toBe('completed');
    expect(getCallAttempt(t.db, withCallbacks[0]!.id)?.status).toBeNull();
  });

  it('keeps a call Twilio answers 404 for open, reports it, and invents no status', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['completed']]);
    t.fake.calls.clear(); // Twilio does not know the SID
    const unknown: string[] = [];
    t.poller.on('call-unknown', (info) => unknown.push(info.callSid));

    t.poller.track(attempt!);
    await t.time.advance(5 * 60_000);

    expect(unknown).toEqual([attempt!.callSid]);
    expect(t.poller.isTracking(attempt!.id)).toBe(true);
    expect(getCallAttempt(t.db, attempt!.id)).toMatchObject({ status: null, isFinal: false });
    expect(listCallEvents(t.db, attempt!.callSid!)).toEqual([]);
  });

  it('backs off after a transient fetch error and then records the status', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['completed']]);
    let failures = 1;
    t.fake.onFetch = () => {
      if (failures-- > 0) throw restError(503, 20500, 'Service Unavailable');
    };
    t.poller.track(attempt!);
    await t.time.advance(10_000);
    expect(getCallAttempt(t.db, attempt!.id)?.status).toBeNull();
    await t.time.advance(10_000);
    expect(getCallAttempt(t.db, attempt!.id)).toMatchObject({ status: 'completed', statusSource: 'poll' });
  });

  it('stops following a call that a callback already finished: no fetch, no poll event after the final callback', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['ringing']], 'https://abc123.ngrok.io/status');
    t.poller.track(attempt!);
    // The final callback lands before the first fetch is due.
    recordStatusEvent(t.db, { callSid: attempt!.callSid!, source: 'callback', sequenceNumber: 3, callStatus: 'completed', params: {}, receivedAt: new Date(t.time.now).toISOString() });

    await t.time.advance(10 * 60_000);

    expect(t.fake.fetched).toEqual([]);
    expect(t.poller.isTracking(attempt!.id)).toBe(false);
    expect(t.time.pendingTimers).toBe(0);
    expect(listCallEvents(t.db, attempt!.callSid!).map((e) => `${e.source}:${e.callStatus}`)).toEqual(['callback:completed']);
    expect(getCallAttempt(t.db, attempt!.id)).toMatchObject({ status: 'completed', isFinal: true, statusSource: 'callback' });
  });

  it('tracking a call twice is a no-op, and stop() clears every timer', async () => {
    const t = setup();
    const [first, second] = await placeCalls(t.db, t.fake, t.time, [['ringing'], ['ringing']]);
    t.poller.track(first!);
    t.poller.track(second!);
    t.poller.track(second!); // twice is a no-op
    expect(t.poller.trackedCount).toBe(2);
    t.poller.stop();
    expect(t.time.pendingTimers).toBe(0);
    await t.time.advance(60_000);
    expect(t.fake.fetched).toEqual([]);
  });
});

describe('CallPoller: what it never follows, and when it speaks', () => {
  it('never follows a call without a SID, a call already final, or any call once stopped', async () => {
    const t = setup();
    const [noSid, final, afterStop] = await placeCalls(t.db, t.fake, t.time, [['ringing'], ['ringing'], ['ringing']]);
    t.poller.track({ ...noSid!, callSid: null });
    t.poller.track({ ...final!, isFinal: true, status: 'busy' });
    expect(t.poller.trackedCount).toBe(0);
    t.poller.stop();
    t.poller.track(afterStop!);
    expect(t.poller.trackedCount).toBe(0);
    await t.time.advance(10 * 60_000);
    expect(t.fake.fetched).toEqual([]);
  });

  it('reports a call Twilio does not know once, and only after reportUnknownAfterMs of 404s in a row', async () => {
    const t = setup(); // reportUnknownAfterMs: 60 s
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['ringing']]);
    t.fake.calls.clear();
    const unknown: { callSid: string; since: string }[] = [];
    t.poller.on('call-unknown', (info) => unknown.push(info));
    const firstFetchAt = t.time.now + 10_000;

    t.poller.track(attempt!);
    await t.time.advance(47_000); // 404s 10, 20 and 35 s after the dial: 25 s since the first, not yet a minute
    expect(unknown).toEqual([]);
    await t.time.advance(10 * 60_000);
    expect(unknown).toEqual([{ attemptId: attempt!.id, callSid: attempt!.callSid, since: new Date(firstFetchAt).toISOString() }]);
  });

  it('emits call-updated only when a poll moved the call, and follows it to the end', async () => {
    const t = setup();
    const [attempt] = await placeCalls(t.db, t.fake, t.time, [['ringing', 'ringing', 'completed']]);
    const seen: string[] = [];
    t.poller.on('call-updated', (a) => seen.push(a.status ?? 'none'));
    t.poller.track(attempt!);
    await t.time.advance(10 * 60_000);
    expect(seen).toEqual(['ringing', 'completed']);
    expect(t.fake.fetched).toHaveLength(3);
    expect(t.poller.isTracking(attempt!.id)).toBe(false);
    await t.poller.idle();
  });
});

describe('CallPoller with a group commit', () => {
  it('stores the snapshots of calls polled at the same moment in one commit', async () => {
    const t = setup();
    const queue = createStatusCommitQueue(t.db);
    const poller = new CallPoller({ db: t.db, calls: () => t.fake, clock: t.time.clock, timers: t.time.timers, commit: (event) => queue.submit({ event }) });
    cleanups.unshift(() => poller.stop());
    const attempts = await placeCalls(t.db, t.fake, t.time, [['completed'], ['busy'], ['no-answer']]);
    for (const attempt of attempts) poller.track(attempt);
    // All three are due at the same tick (as real timers due together fire in one turn): their fetches resolve
    // in that turn and the snapshots land in one flush, on the next turn.
    const microtasks = async () => {
      for (let i = 0; i < 20; i += 1) await Promise.resolve();
    };
    await t.time.advance(10_000, microtasks);
    await flush();
    expect(attempts.map((a) => getCallAttempt(t.db, a.id)!.status)).toEqual(['completed', 'busy', 'no-answer']);
    expect(queue.stats()).toMatchObject({ writes: 3, flushes: 1 });
  });
});
