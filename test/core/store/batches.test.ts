// store/batches.ts: a batch's id, its attempts in order, its days, its state and when it finished, and which batches
// each mode sees (practice and real apart, the wizard's test call in neither list).
import { afterEach, describe, expect, it } from 'vitest';
import {
  activeBatches,
  batchAppointmentDays,
  createBatch,
  getBatch,
  latestBatch,
  listBatches,
  newBatchId,
  setBatchState,
  setBatchWaitDeadline,
  unfinishedBatches,
} from '../../../src-main/core/store/batches';
import { listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import { addAppointments, tempDb } from '../batches/fixtures';

const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});
function open() {
  const store = tempDb();
  stores.push(store);
  return store.db;
}
const at = (minute: number) => new Date(Date.UTC(2030, 0, 14, 15, minute, 7));

describe('batches in the store', () => {
  it('names a batch by its start time like the predecessor did, unique with four hex digits', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newBatchId(new Date('2030-01-14T09:30:05.123Z'))));
    for (const id of ids) expect(id).toMatch(/^20300114-093005-[0-9a-f]{4}$/);
    expect(ids.size).toBeGreaterThan(40);
  });

  it('creates the attempts in order, the skipped ones after with their reason, and keeps the clinic days', () => {
    const db = open();
    const [a, b] = addAppointments(db, ['+12125550100', '+12125550101'], '2030-01-16T10:00:00-05:00');
    const [c] = addAppointments(db, ['+12125550102'], '2030-01-15T09:00:00-05:00');
    const batch = createBatch(db, { appointmentIds: [b!, a!], skipped: [{ appointmentId: c!, reason: 'do-not-call', message: 'on the list' }], simulated: false, now: at(0) });
    expect(batch).toMatchObject({ state: 'running', simulated: false, testCall: false, total: 3, createdAt: at(0).toISOString(), finishedAt: null, waitDeadline: null });
    expect(listBatchAttempts(db, batch.id).map((x) => [x.appointmentId, x.position, x.state, x.skipReason, x.errorMessage])).toEqual([
      [b, 0, 'pending', null, null],
      [a, 1, 'pending', null, null],
      [c, 2, 'skipped', 'do-not-call', 'on the list'],
    ]);
    expect(batchAppointmentDays(db, batch.id)).toEqual(['2030-01-15', '2030-01-16']);
    expect(batchAppointmentDays(db, 'no-such-batch')).toEqual([]);
  });

  it('stamps finished_at when a batch ends (completed, cancelled, timed out), and clears it when it runs again', () => {
    const db = open();
    const batch = createBatch(db, { appointmentIds: addAppointments(db, ['+12125550100']), simulated: true, now: at(0) });
    setBatchState(db, batch.id, 'paused', at(1).toISOString());
    expect(getBatch(db, batch.id)).toMatchObject({ state: 'paused', finishedAt: null });
    for (const state of ['completed', 'cancelled', 'timed_out'] as const) {
      setBatchState(db, batch.id, state, at(2).toISOString());
      expect(getBatch(db, batch.id)).toMatchObject({ state, finishedAt: at(2).toISOString() });
    }
    setBatchState(db, batch.id, 'running', at(3).toISOString());
    expect(getBatch(db, batch.id)).toMatchObject({ state: 'running', finishedAt: null });
    setBatchWaitDeadline(db, batch.id, at(30).toISOString());
    expect(getBatch(db, batch.id)!.waitDeadline).toBe(at(30).toISOString());
    setBatchWaitDeadline(db, batch.id, null);
    expect(getBatch(db, batch.id)!.waitDeadline).toBeNull();
  });

  it('lists each mode its own patients\' batches, newest first; test calls in no list; running ones to resume', () => {
    const db = open();
    const ids = addAppointments(db, ['+12125550100', '+12125550101', '+12125550102', '+12125550103']);
    const realOld = createBatch(db, { appointmentIds: [ids[0]!], simulated: false, now: at(0) });
    const practice = createBatch(db, { appointmentIds: [ids[1]!], simulated: true, now: at(1) });
    const realNew = createBatch(db, { appointmentIds: [ids[2]!], simulated: false, now: at(2) });
    const testCall = createBatch(db, { appointmentIds: [ids[3]!], simulated: false, testCall: true, now: at(3) });
    setBatchState(db, realOld.id, 'paused', at(4).toISOString());

    expect(listBatches(db, { practice: false }).map((b) => b.id)).toEqual([realNew.id, realOld.id]);
    expect(listBatches(db, { practice: false }, 1).map((b) => b.id)).toEqual([realNew.id]);
    expect(listBatches(db, { practice: true }).map((b) => b.id)).toEqual([practice.id]);
    expect(latestBatch(db)!.id).toBe(testCall.id);
    expect(unfinishedBatches(db).map((b) => b.id)).toEqual([practice.id, realNew.id, testCall.id]);
    expect(activeBatches(db, { practice: false }).map((b) => b.id)).toEqual([realOld.id, realNew.id]);
  });

  it('keeps a finished batch active while one of its calls is still live, and drops it once none is', () => {
    const db = open();
    const batch = createBatch(db, { appointmentIds: addAppointments(db, ['+12125550100', '+12125550101']), simulated: true, now: at(0) });
    const [first] = listBatchAttempts(db, batch.id);
    markDialing(db, first!.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550100', now: at(1).toISOString() });
    setBatchState(db, batch.id, 'cancelled', at(2).toISOString());
    expect(activeBatches(db, { practice: true }).map((b) => b.id)).toEqual([batch.id]);
    db.prepare("UPDATE call_attempts SET state = 'placed', is_final = 1 WHERE id = ?").run(first!.id);
    expect(activeBatches(db, { practice: true })).toEqual([]);
  });
});
