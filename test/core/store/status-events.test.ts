import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallAttempt, CallStatus, StatusSource } from '../../../src-main/core/domain';
import { upsertAppointments } from '../../../src-main/core/store/appointments';
import { createBatch } from '../../../src-main/core/store/batches';
import { getCallAttempt, listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import { openDatabase, type Db } from '../../../src-main/core/store/database';
import {
  countOrphanEvents,
  listCallEvents,
  recordCallPlaced,
  recordStatusEvent,
  type StatusEventInput,
} from '../../../src-main/core/store/status-events';
import { derivedCallState } from '../../helpers/call-state';

// The ordering rules of recordStatusEvent: callbacks arrive shuffled, duplicated or not at all, polls are
// eventually consistent, and whatever the order the call must end in the state the in-order sequence gives.

const T0 = Date.parse('2026-11-24T09:00:00.000Z');
const iso = (secondsAfter: number) => new Date(T0 + secondsAfter * 1000).toISOString();
const RECEIVED = iso(100);

let db: Db;
let sidCounter = 0;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

/** A batch of `count` calls dialled and placed (SIDs stored). */
function placedCalls(count: number): CallAttempt[] {
  const { ids } = upsertAppointments(
    db,
    Array.from({ length: count }, (_, i) => ({
      dedupeKey: `k${sidCounter}-${i}`,
      externalId: null,
      name: `P${i}`,
      phoneNumber: '+14155550100',
      email: null,
      appointmentAt: '2026-11-25T09:30:00-05:00',
      location: null,
    })),
    null,
    iso(0),
  );
  const batch = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date(T0) });
  return listBatchAttempts(db, batch.id).map((attempt) => {
    markDialing(db, attempt.id, { statusCallbackUrl: 'https://x.example/status', twimlUrl: null, from: '+15005550006', to: '+14155550100', now: iso(0) });
    sidCounter += 1;
    return recordCallPlaced(db, attempt.id, `CA${String(sidCounter).padStart(32, '0')}`, iso(0));
  });
}

function placedCall(): CallAttempt {
  return placedCalls(1)[0]!;
}

function event(
  callSid: string,
  callStatus: CallStatus,
  sequenceNumber: number | null,
  extra: Partial<StatusEventInput> & { source?: StatusSource } = {},
): StatusEventInput {
  return {
    callSid,
    source: 'callback',
    sequenceNumber,
    callStatus,
    twilioTimestamp: sequenceNumber === null ? null : iso(sequenceNumber * 10),
    params: { CallSid: callSid, CallStatus: callStatus, ...(sequenceNumber === null ? {} : { SequenceNumber: String(sequenceNumber) }) },
    receivedAt: RECEIVED,
    ...extra,
  };
}

function answeredCall(sid: string): StatusEventInput[] {
  return [
    event(sid, 'initiated', 0),
    event(sid, 'ringing', 1),
    event(sid, 'in-progress', 2, { answeredBy: 'human' }),
    event(sid, 'completed', 3, { durationSeconds: 42 }),
  ];
}

function state(id: number) {
  return derivedCallState(getCallAttempt(db, id)!);
}

describe('recordStatusEvent', () => {
  it('folds an in-order call into its derived state', () => {
    const call = placedCall();
    const results = answeredCall(call.callSid!).map((e) => recordStatusEvent(db, e));
    expect(results.map((r) => [r.stored, r.applied])).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(state(call.id)).toEqual({
      status: 'completed',
      isFinal: true,
      statusSource: 'callback',
      lastSequenceNumber: 3,
      answered: true,
      answeredBy: 'human',
      durationSeconds: 42,
      errorCode: null,
      errorMessage: null,
      startedAt: iso(20), // the in-progress event's Timestamp
      endedAt: iso(30), // the final event's Timestamp
    });
    expect(listCallEvents(db, call.callSid!).map((e) => e.sequenceNumber)).toEqual([0, 1, 2, 3]);
  });

  it('treats a duplicated callback as a no-op', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'ringing', 1));
    const before = getCallAttempt(db, call.id);
    const again = recordStatusEvent(db, event(call.callSid!, 'ringing', 1, { receivedAt: iso(200) }));
    expect(again).toMatchObject({ stored: false, applied: false, attempt: before });
    expect(getCallAttempt(db, call.id)).toEqual(before);
    expect(listCallEvents(db, call.callSid!)).toHaveLength(1);
  });

  it('never lets an older callback overwrite a newer one, but stores it', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'in-progress', 2));
    const late = recordStatusEvent(db, event(call.callSid!, 'ringing', 1));
    expect(late).toMatchObject({ stored: true, applied: false });
    expect(state(call.id)).toMatchObject({ status: 'in-progress', lastSequenceNumber: 2 });
    expect(listCallEvents(db, call.callSid!)).toHaveLength(2);
  });

  it('never replaces a final status, not with a live one and not with another final one', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'no-answer', 2));
    for (const late of [event(call.callSid!, 'ringing', 1), event(call.callSid!, 'in-progress', 9), event(call.callSid!, 'completed', 10)]) {
      expect(recordStatusEvent(db, late).applied).toBe(false);
    }
    expect(recordStatusEvent(db, event(call.callSid!, 'failed', null, { source: 'reconcile' })).applied).toBe(false);
    expect(state(call.id)).toMatchObject({ status: 'no-answer', isFinal: true, endedAt: iso(20) });
  });

  it('lets a final status win over a live one with a higher SequenceNumber', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'in-progress', 5));
    expect(recordStatusEvent(db, event(call.callSid!, 'completed', 3)).applied).toBe(true);
    expect(state(call.id)).toMatchObject({ status: 'completed', isFinal: true, lastSequenceNumber: 5 });
  });

  it('merges facts from late events: answered, AnsweredBy and start time still count after the final status', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'completed', 3, { durationSeconds: 42 }));
    const late = recordStatusEvent(db, event(call.callSid!, 'in-progress', 2, { answeredBy: 'machine_end_beep' }));
    expect(late.applied).toBe(false);
    expect(state(call.id)).toMatchObject({
      status: 'completed',
      answered: true,
      answeredBy: 'machine_end_beep',
      durationSeconds: 42,
      startedAt: iso(20),
      endedAt: iso(30),
    });
  });

  it('orders poll and reconcile snapshots (no SequenceNumber) by progress, and ignores a repeated snapshot', () => {
    const call = placedCall();
    const poll = (status: CallStatus, source: StatusSource = 'poll') => recordStatusEvent(db, event(call.callSid!, status, null, { source }));
    expect(poll('queued').applied).toBe(true);
    expect(poll('ringing').applied).toBe(true);
    expect(poll('ringing')).toMatchObject({ stored: false, applied: false });
    expect(poll('queued').applied).toBe(false);
    expect(poll('in-progress').applied).toBe(true);
    expect(poll('completed', 'reconcile').applied).toBe(true);
    expect(state(call.id)).toMatchObject({ status: 'completed', statusSource: 'reconcile', answered: true, isFinal: true });
  });

  it('does not move back when a callback arrives late after a poll saw the call further along', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'in-progress', null, { source: 'poll' }));
    expect(recordStatusEvent(db, event(call.callSid!, 'ringing', 1)).applied).toBe(false);
    expect(state(call.id).status).toBe('in-progress');
  });

  it('does not move back when a late callback has a higher SequenceNumber than the last callback but less progress than a poll', () => {
    const call = placedCall();
    recordStatusEvent(db, event(call.callSid!, 'initiated', 0));
    recordStatusEvent(db, event(call.callSid!, 'in-progress', null, { source: 'poll' }));
    recordStatusEvent(db, event(call.callSid!, 'ringing', 1));
    expect(state(call.id).status).toBe('in-progress');
  });

  it('converges whatever the order when callbacks, polls and duplicates are mixed', () => {
    const permutations = 60;
    const calls = placedCalls(permutations + 1);
    const script = (sid: string): StatusEventInput[] => [
      ...answeredCall(sid),
      // Snapshots of the Call resource carry its start and end times (the same instants the callbacks report).
      event(sid, 'ringing', null, { source: 'poll' }),
      event(sid, 'in-progress', null, { source: 'poll', startedAt: iso(20) }),
      event(sid, 'completed', null, { source: 'reconcile', durationSeconds: 42, startedAt: iso(20), endedAt: iso(30) }),
    ];
    // In order: every callback, then the snapshots (which change nothing once the call is final).
    const reference = calls[0]!;
    for (const e of script(reference.callSid!)) recordStatusEvent(db, e);
    const expected = { ...state(reference.id), statusSource: undefined };

    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const call of calls.slice(1)) {
      const events = script(call.callSid!);
      const order = [...events, ...events.filter(() => next() < 0.3)];
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const e of order) recordStatusEvent(db, e);
      const got = state(call.id);
      // Which final event got there first (callback or reconcile) decides the source; the rest must match.
      expect({ ...got, statusSource: undefined }, order.map((e) => `${e.source}:${e.callStatus}:${e.sequenceNumber}`).join(' ')).toEqual(expected);
      expect(['callback', 'reconcile']).toContain(got.statusSource);
    }
  });
});

describe('orphans', () => {
  it('keeps callbacks for an unknown CallSid and adopts them in sequence order when the SID is stored', () => {
    const { ids } = upsertAppointments(
      db,
      [{ dedupeKey: 'o', externalId: null, name: 'O', phoneNumber: '+14155550100', email: null, appointmentAt: '2026-11-25T09:30:00-05:00', location: null }],
      null,
      iso(0),
    );
    const batch = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date(T0) });
    const [attempt] = listBatchAttempts(db, batch.id);
    markDialing(db, attempt!.id, { statusCallbackUrl: 'https://x.example/status', twimlUrl: null, from: '+1', to: '+14155550100', now: iso(0) });
    const sid = 'CA0000000000000000000000000000beef';
    // Raced ahead of calls.create's answer, shuffled and duplicated.
    for (const e of [event(sid, 'completed', 3, { durationSeconds: 7 }), event(sid, 'ringing', 1), event(sid, 'ringing', 1), event(sid, 'in-progress', 2, { answeredBy: 'human' })]) {
      expect(recordStatusEvent(db, e).attempt).toBeNull();
    }
    expect(countOrphanEvents(db)).toBe(3);
    const placed = recordCallPlaced(db, attempt!.id, sid, iso(5));
    expect(countOrphanEvents(db)).toBe(0);
    expect(placed).toMatchObject({ state: 'placed', status: 'completed', isFinal: true, answered: true, answeredBy: 'human', durationSeconds: 7, lastSequenceNumber: 3 });
    expect(listCallEvents(db, sid).every((e) => e.attemptId === attempt!.id)).toBe(true);
    // After adoption a late duplicate is still a no-op.
    expect(recordStatusEvent(db, event(sid, 'ringing', 1))).toMatchObject({ stored: false, applied: false });
  });
});
