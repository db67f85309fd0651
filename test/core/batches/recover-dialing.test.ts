import { afterEach, describe, expect, it } from 'vitest';
import { recoverDialingAttempt } from '../../../src-main/core/batches/recover-dialing';
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
