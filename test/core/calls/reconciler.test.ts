import { afterEach, describe, expect, it } from 'vitest';
import { detectWake, Reconciler } from '../../../src-main/core/calls/reconciler';
import { createBatch, setBatchState } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import type { Db } from '../../../src-main/core/store/database';
import { listCallEvents, recordCallPlaced, recordStatusEvent } from '../../../src-main/core/store/status-events';
import { addAppointments, FakeCallsApi, FakeTime, makeSettings, tempDb } from '../batches/fixtures';

const STATUS_URL = 'https://abc123.ngrok.io/status';
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

function setup() {
  const store = tempDb();
  cleanups.push(store.cleanup);
  const time = new FakeTime();
  const fake = new FakeCallsApi(time.clock);
  // call timeout 30 s + reconcile_after 5 min: a call dialled 5.5 min ago should have ended.
  const settings = makeSettings({ calling: { call_timeout_seconds: 30 }, callbacks: { reconcile_after_minutes: 5 } });
  const reconciler = new Reconciler({ db: store.db, calls: () => fake, settings: () => settings, clock: time.clock, sleep: time.sleep, timers: time.timers });
  cleanups.unshift(() => reconciler.stop());
  return { ...store, time, fake, reconciler };
}

async function placeCall(db: Db, fake: FakeCallsApi, time: FakeTime, to: string, opts: { storeSid?: boolean } = {}) {
  const batch = createBatch(db, { appointmentIds: addAppointments(db, [to]), simulated: false, now: new Date(time.now) });
  const attempt = listBatchAttempts(db, batch.id)[0]!;
  const now = new Date(time.now).toISOString();
  markDialing(db, attempt.id, { statusCallbackUrl: STATUS_URL, twimlUrl: null, from: '+15005550006', to, now });
  const call = await fake.create({ to, from: '+15005550006' });
  if (opts.storeSid !== false) recordCallPlaced(db, attempt.id, call.sid, now);
  return { attemptId: attempt.id, callSid: call.sid };
}

function callback(db: Db, callSid: string, sequenceNumber: number, callStatus: 'initiated' | 'ringing' | 'in-progress', at: number) {
  recordStatusEvent(db, { callSid, source: 'callback', sequenceNumber, callStatus, params: {}, receivedAt: new Date(at).toISOString() });
}

describe('Reconciler', () => {
  it("fixes a call whose 'completed' callback was dropped, once it should have ended", async () => {
    const t = setup();
    const { attemptId, callSid } = await placeCall(t.db, t.fake, t.time, '+12125550100');
    callback(t.db, callSid, 0, 'initiated', t.time.now);
    callback(t.db, callSid, 1, 'ringing', t.time.now);
    callback(t.db, callSid, 2, 'in-progress', t.time.now);
    t.fake.setStatus(callSid, 'completed'); // ... and the completed callback never arrives

    await t.time.advance(60_000);
    expect(await t.reconciler.sweep()).toMatchObject({ checked: 0 }); // too early: the call may still be going
    expect(t.fake.fetched).toEqual([]);

    await t.time.advance(5 * 60_000);
    const report = await t.reconciler.sweep();

    expect(report).toEqual({ checked: 1, updated: 1, stillOpen: 0, unknown: [], failed: 0 });
    expect(getCallAttempt(t.db, attemptId)).toMatchObject({ status: 'completed', isFinal: true, statusSource: 'reconcile', answered: true });
    expect(listCallEvents(t.db, callSid).map((e) => `${e.source}:${e.callStatus}`)).toEqual([
      'callback:initiated',
      'callback:ringing',
      'callback:in-progress',
      'reconcile:completed',
    ]);
  });

  it('does not ask Twilio about a call that may still be ringing: the grace period counts the call timeout too', async () => {
    const t = setup();
    // A ten-minute ring (calling.call_timeout_seconds 600) on top of reconcile_after_minutes 5.
    const settings = makeSettings({ calling: { call_timeout_seconds: 600 }, callbacks: { reconcile_after_minutes: 5 } });
    const reconciler = new Reconciler({ db: t.db, calls: () => t.fake, settings: () => settings, clock: t.time.clock, sleep: t.time.sleep, timers: t.time.timers });
    const { callSid } = await placeCall(t.db, t.fake, t.time, '+12125550100');
    callback(t.db, callSid, 0, 'initiated', t.time.now);
    callback(t.db, callSid, 1, 'ringing', t.time.now);

    await t.time.advance(5 * 60_000 + 1_000); // past reconcile_after_minutes alone: the phone may still ring
    expect(await reconciler.sweep()).toMatchObject({ checked: 0 });
    await t.time.advance(10 * 60_000 - 2_000); // one second short of timeout + grace
    expect(await reconciler.sweep()).toMatchObject({ checked: 0 });
    expect(t.fake.fetched).toEqual([]);

    await t.time.advance(2_000);
    expect(await reconciler.sweep()).toMatchObject({ checked: 1 });
    expect(t.fake.fetched).toEqual([callSid]);
  });

  it('reconcileAll() asks about every open call regardless of age, and finds a call whose SID was never stored', async () => {
    const t = setup();
    const young = await placeCall(t.db, t.fake, t.time, '+12125550100');
    const crashed = await placeCall(t.db, t.fake, t.time, '+12125550101', { storeSid: false });
    t.fake.setStatus(young.callSid, 'busy');
    t.fake.setStatus(crashed.callSid, 'no-answer');

    const report = await t.reconciler.reconcileAll();

    expect(report).toMatchObject({ checked: 2, updated: 2, stillOpen: 0, failed: 0 });
    expect(getCallAttempt(t.db, young.attemptId)).toMatchObject({ status: 'busy', statusSource: 'reconcile' });
    expect(getCallAttempt(t.db, crashed.attemptId)).toMatchObject({ state: 'placed', callSid: crashed.callSid, status: 'no-answer', statusSource: 'reconcile' });
    expect(t.fake.creates).toHaveLength(2); // nothing was dialled again
  });

  it('sends a dialing row Twilio never heard of back to pending (only after the settle time)', async () => {
    const t = setup();
    const batch = createBatch(t.db, { appointmentIds: addAppointments(t.db, ['+12125550102']), simulated: false, now: new Date(t.time.now) });
    const attempt = listBatchAttempts(t.db, batch.id)[0]!;
    const dialedAt = t.time.now;
    markDialing(t.db, attempt.id, { statusCallbackUrl: STATUS_URL, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(dialedAt).toISOString() });
    let listedAt = 0;
    const list = t.fake.list.bind(t.fake);
    t.fake.list = async (filter) => {
      listedAt = t.time.now;
      return list(filter);
    };

    await t.reconciler.reconcileAll();

    expect(listedAt - dialedAt).toBeGreaterThanOrEqual(20_000);
    expect(getCallAttempt(t.db, attempt.id)).toMatchObject({ state: 'pending', callSid: null });
  });

  it('marks an interrupted dial of a cancelled batch skipped, not pending forever', async () => {
    const t = setup();
    const batch = createBatch(t.db, { appointmentIds: addAppointments(t.db, ['+12125550102']), simulated: false, now: new Date(t.time.now) });
    const attempt = listBatchAttempts(t.db, batch.id)[0]!;
    markDialing(t.db, attempt.id, { statusCallbackUrl: STATUS_URL, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(t.time.now).toISOString() });
    setBatchState(t.db, batch.id, 'cancelled', new Date(t.time.now).toISOString());

    await t.reconciler.reconcileAll();

    expect(getCallAttempt(t.db, attempt.id)).toMatchObject({ state: 'skipped', callSid: null });
  });

  it('in practice mode never asks the simulator about a real call (which it would not know, and redial)', async () => {
    const t = setup();
    const batch = createBatch(t.db, { appointmentIds: addAppointments(t.db, ['+12125550102']), simulated: false, now: new Date(t.time.now) });
    const attempt = listBatchAttempts(t.db, batch.id)[0]!;
    markDialing(t.db, attempt.id, { statusCallbackUrl: STATUS_URL, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(t.time.now).toISOString() });
    let asked = 0;
    const practiceApi = { ...t.fake, list: async () => { asked += 1; return []; }, fetch: async () => { asked += 1; throw new Error('unknown'); } } as unknown as FakeCallsApi;
    const practice = new Reconciler({ db: t.db, calls: () => practiceApi, settings: () => makeSettings(), simulated: () => true, clock: t.time.clock, sleep: t.time.sleep, timers: t.time.timers });
    cleanups.unshift(() => practice.stop());

    await practice.reconcileAll();

    expect(asked).toBe(0);
    expect(getCallAttempt(t.db, attempt.id)).toMatchObject({ state: 'dialing' });
  });

  it('keeps a call Twilio answers 404 for open and reports it', async () => {
    const t = setup();
    const { attemptId, callSid } = await placeCall(t.db, t.fake, t.time, '+12125550100');
    t.fake.calls.delete(callSid);
    const report = await t.reconciler.reconcileAll();
    expect(report.unknown).toEqual([callSid]);
    expect(getCallAttempt(t.db, attemptId)).toMatchObject({ status: null, isFinal: false });
  });

  it('runs periodically and reconciles everything after the computer slept', async () => {
    const t = setup();
    const kinds: string[] = [];
    t.reconciler.on('sweep-finished', (r) => kinds.push(r.kind));
    t.reconciler.startPeriodic(60_000);
    await t.time.advance(60_000);
    await t.reconciler.idle();
    expect(kinds).toEqual(['sweep']);

    // The laptop lid closes: the next tick fires an hour late.
    t.time.now += 60 * 60_000;
    await t.time.advance(0);
    await t.reconciler.idle();
    expect(kinds).toEqual(['sweep', 'all']);
    expect(detectWake(1000, 1000 + 59_000, 60_000)).toBe(false);
    expect(detectWake(1000, 1000 + 61_000, 60_000)).toBe(true);
  });

  it('reports what each call came to: moved, still live at Twilio, or not asked (a 5xx: asked again next sweep)', async () => {
    const t = setup();
    const moved = await placeCall(t.db, t.fake, t.time, '+12125550100');
    const live = await placeCall(t.db, t.fake, t.time, '+12125550101');
    const down = await placeCall(t.db, t.fake, t.time, '+12125550102');
    t.fake.setStatus(moved.callSid, 'in-progress');
    callback(t.db, live.callSid, 0, 'in-progress', t.time.now);
    t.fake.setStatus(live.callSid, 'in-progress'); // nothing new: stored already
    const fetch = t.fake.fetch.bind(t.fake);
    t.fake.fetch = async (sid) => {
      if (sid === down.callSid) throw Object.assign(new Error('Service Unavailable'), { status: 503 });
      return fetch(sid);
    };
    const updated: number[] = [];
    t.reconciler.on('call-updated', (a) => updated.push(a.id));

    expect(await t.reconciler.reconcileAll()).toEqual({ checked: 3, updated: 1, stillOpen: 2, unknown: [], failed: 1 });
    expect(updated).toEqual([moved.attemptId]);
    expect(getCallAttempt(t.db, down.attemptId)).toMatchObject({ status: null, isFinal: false });
  });

  it('stop() ends the periodic sweeps, and starting again never runs two schedules', async () => {
    const t = setup();
    const kinds: string[] = [];
    t.reconciler.on('sweep-finished', (r) => kinds.push(r.kind));
    t.reconciler.startPeriodic(60_000);
    t.reconciler.startPeriodic(60_000);
    await t.time.advance(60_000);
    await t.reconciler.idle();
    expect(kinds).toEqual(['sweep']);
    t.reconciler.stop();
    await t.time.advance(10 * 60_000);
    await t.reconciler.idle();
    expect(kinds).toEqual(['sweep']);
  });

  it('takes a late tick for sleep only past a minute (or the interval, if longer): a busy second is not a sleep', async () => {
    const t = setup();
    const kinds: string[] = [];
    t.reconciler.on('sweep-finished', (r) => kinds.push(r.kind));
    t.reconciler.startPeriodic(10_000);
    t.time.now += 40_000; // the tick fires 40 s late: a loaded machine, not a suspended one
    await t.time.advance(0);
    await t.reconciler.idle();
    expect(kinds).toEqual(['sweep']);
    expect(detectWake(1000, 1000 + 60_000, 60_000)).toBe(false); // exactly the threshold late: not yet
  });
});
