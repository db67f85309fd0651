import { afterEach, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, DIAL_SETTLE_MS, recoverDialingAttempt } from '../../../src-main/core/batches/recover-dialing';
import { createBatch } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import type { Db } from '../../../src-main/core/store/database';
import { addAppointments, FakeCallsApi, FakeTime, tempDb } from './fixtures';

// Two batches dial the same household; the process dies before either CallSid is stored. Whatever order the
// recovery runs in, each attempt must adopt its own call — never the other's — and nobody is dialled again.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function dialWithoutStoring(db: Db, fake: FakeCallsApi, time: FakeTime, appointmentId: number) {
  const batch = createBatch(db, { appointmentIds: [appointmentId], simulated: false, now: new Date(time.now) });
  const attempt = listBatchAttempts(db, batch.id)[0]!;
  markDialing(db, attempt.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(time.now).toISOString() });
  const call = await fake.create({ to: '+12125550102', from: '+15005550006' });
  return { attemptId: attempt.id, callSid: call.sid };
}

describe('recovering interrupted dials to the same number', () => {
  it('resolves them in dial order, each adopting its own call', async () => {
    const store = tempDb();
    cleanups.push(store.cleanup);
    const time = new FakeTime();
    const fake = new FakeCallsApi(time.clock);
    const [appointmentId] = addAppointments(store.db, ['+12125550102']);
    const first = await dialWithoutStoring(store.db, fake, time, appointmentId!);
    await time.advance(3_000);
    const second = await dialWithoutStoring(store.db, fake, time, appointmentId!);
    await time.advance(60_000);
    const deps = { db: store.db, calls: fake, clock: time.clock, sleep: time.sleep };

    // The later dial is looked at first: it must wait for the earlier one instead of taking its call.
    expect((await recoverDialingAttempt(deps, second.attemptId)).kind).toBe('undecided');
    expect(getCallAttempt(store.db, second.attemptId)).toMatchObject({ state: 'dialing', callSid: null });

    expect(await recoverDialingAttempt(deps, first.attemptId)).toMatchObject({ kind: 'found', attempt: { callSid: first.callSid } });
    expect(await recoverDialingAttempt(deps, second.attemptId)).toMatchObject({ kind: 'found', attempt: { callSid: second.callSid } });
    expect(fake.creates).toHaveLength(2);
  });

  it('never adopts a call created long after the interrupted dial', async () => {
    const store = tempDb();
    cleanups.push(store.cleanup);
    const time = new FakeTime();
    const fake = new FakeCallsApi(time.clock);
    const [appointmentId] = addAppointments(store.db, ['+12125550102']);
    const batch = createBatch(store.db, { appointmentIds: [appointmentId!], simulated: false, now: new Date(time.now) });
    const attempt = listBatchAttempts(store.db, batch.id)[0]!;
    markDialing(store.db, attempt.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(time.now).toISOString() });
    // Our create never reached Twilio; an hour later someone else calls the same number from the same line.
    await time.advance(3_600_000);
    await fake.create({ to: '+12125550102', from: '+15005550006' });

    const result = await recoverDialingAttempt({ db: store.db, calls: fake, clock: time.clock, sleep: time.sleep }, attempt.id);
    expect(result.kind).toBe('not-found');
  });
});

describe('the adoption window of an interrupted dial', () => {
  function setup() {
    const store = tempDb();
    cleanups.push(store.cleanup);
    const time = new FakeTime();
    const fake = new FakeCallsApi(time.clock);
    const [appointmentId] = addAppointments(store.db, ['+12125550102']);
    const batch = createBatch(store.db, { appointmentIds: [appointmentId!], simulated: false, now: new Date(time.now) });
    const attempt = listBatchAttempts(store.db, batch.id)[0]!;
    const dial = () =>
      markDialing(store.db, attempt.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550102', now: new Date(time.now).toISOString() });
    const warnings: { message: string; data: Record<string, unknown> | undefined }[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (message: string, data?: Record<string, unknown>) => warnings.push({ message, data }) };
    const recover = () => recoverDialingAttempt({ db: store.db, calls: fake, clock: time.clock, sleep: time.sleep, logger }, attempt.id);
    return { db: store.db, time, fake, attemptId: attempt.id, dial, recover, warnings };
  }

  it('never adopts a call Twilio created before the interrupted dial (an earlier call to the same household)', async () => {
    const t = setup();
    // Calls to the same household from the same line that no attempt of ours owns: one hours before, one a minute before.
    await t.fake.create({ to: '+12125550102', from: '+15005550006' });
    await t.time.advance(3 * 3_600_000);
    const minuteBefore = await t.fake.create({ to: '+12125550102', from: '+15005550006' });
    await t.time.advance(60_000);
    t.dial(); // ... and our create never reached Twilio.
    await t.time.advance(60_000);

    const result = await t.recover();

    expect(result.kind).toBe('not-found');
    expect(getCallAttempt(t.db, t.attemptId)).toMatchObject({ state: 'pending', callSid: null, status: null });
    expect(t.fake.lists).toHaveLength(1);
    // The one near miss (a computer clock ahead of Twilio's would look like this) is said in the log; the old call is not.
    expect(t.warnings).toEqual([{ message: expect.stringMatching(/created just before the interrupted dial/), data: { attemptId: t.attemptId, callSids: [minuteBefore.sid] } }]);
  });

  it('adopts the call stamped with the second the dial started in, never one stamped a second earlier', async () => {
    const t = setup();
    await t.time.advance(700); // the dial starts 0.7 s into a second
    const dialedAt = t.time.now;
    t.dial();
    const foreign = await t.fake.create({ to: '+12125550102', from: '+15005550006' });
    const own = await t.fake.create({ to: '+12125550102', from: '+15005550006' });
    // Twilio's DateCreated has whole seconds: ours reads as the dial's own second, the other call as the one before.
    t.fake.calls.get(own.sid)!.dateCreated = new Date(dialedAt - 700);
    t.fake.calls.get(foreign.sid)!.dateCreated = new Date(dialedAt - 700 - 1_000);
    await t.time.advance(60_000);

    expect(await t.recover()).toMatchObject({ kind: 'found', call: { sid: own.sid }, attempt: { state: 'placed', callSid: own.sid } });
  });

  it('still adopts a call Twilio created at the very end of the window (settle time + clock skew after the dial)', async () => {
    const t = setup();
    t.dial();
    await t.time.advance(DIAL_SETTLE_MS + CLOCK_SKEW_MS); // a create held up inside Twilio as long as we allow
    const late = await t.fake.create({ to: '+12125550102', from: '+15005550006' });
    await t.time.advance(1_000);

    expect(await t.recover()).toMatchObject({ kind: 'found', call: { sid: late.sid } });
  });
});
