import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/core/store/database';
import { listAppointments, upsertAppointments, type AppointmentInput } from '../../../src-main/core/store/appointments';
import { createBatch, getBatch, unfinishedBatches } from '../../../src-main/core/store/batches';
import { markDialing, nextPendingAttempt } from '../../../src-main/core/store/call-attempts';
import { batchCounts } from '../../../src-main/core/store/call-history';

const NOW = '2026-11-24T09:00:00.000Z';
const rows: AppointmentInput[] = [
  { dedupeKey: 'id:1', externalId: '1', name: 'Ada Lovelace', phoneNumber: '+14155550100', email: null, appointmentAt: '2026-11-25T09:30:00-05:00', location: 'Main St' },
  { dedupeKey: 'id:2', externalId: '2', name: 'Alan Turing', phoneNumber: '+14155550101', email: 'alan@example.org', appointmentAt: '2026-11-25T10:00:00-05:00', location: null },
];

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('appointments', () => {
  it('importing the same rows twice creates no duplicates', () => {
    expect(upsertAppointments(db, rows, 'a.csv', NOW)).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(upsertAppointments(db, rows, 'a.csv', NOW)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(listAppointments(db, { practice: false })).toHaveLength(2);
  });

  it('updates an appointment whose details changed in the new file', () => {
    upsertAppointments(db, rows, 'a.csv', NOW);
    const moved = [{ ...rows[0]!, appointmentAt: '2026-11-26T09:30:00-05:00' }];
    expect(upsertAppointments(db, moved, 'b.csv', NOW)).toMatchObject({ inserted: 0, updated: 1 });
    expect(listAppointments(db, { practice: false })[1]!.appointmentAt).toBe('2026-11-26T09:30:00-05:00');
  });

  it('filters by time range and searches names literally', () => {
    upsertAppointments(db, [...rows, { ...rows[1]!, dedupeKey: 'id:3', name: '100%_Real' }], null, NOW);
    expect(listAppointments(db, { practice: false, search: 'turing' }).map((a) => a.name)).toEqual(['Alan Turing']);
    expect(listAppointments(db, { practice: false, search: '%' }).map((a) => a.name)).toEqual(['100%_Real']);
    expect(listAppointments(db, { practice: false, fromUtc: '2026-11-25T14:45:00.000Z' }).map((a) => a.name)).toEqual(['Alan Turing', '100%_Real']);
  });
});

describe('batches', () => {
  it('creates one pending attempt per appointment and never twice for the same appointment', () => {
    const { ids } = upsertAppointments(db, rows, null, NOW);
    const batch = createBatch(db, { appointmentIds: [...ids, ids[0]!], simulated: true, now: new Date(NOW) });
    expect(getBatch(db, batch.id)!.total).toBe(2);
    expect(unfinishedBatches(db).map((b) => b.id)).toEqual([batch.id]);
    const first = nextPendingAttempt(db, batch.id)!;
    markDialing(db, first.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+14155550100', now: NOW });
    // A second dialer (another process resuming the same batch) cannot claim it again.
    expect(() => markDialing(db, first.id, { statusCallbackUrl: null, twimlUrl: null, from: '+1', to: '+1', now: NOW })).toThrow(/already claimed/);
    expect(nextPendingAttempt(db, batch.id)!.appointmentId).toBe(ids[1]);
    expect(batchCounts(db, batch.id)).toMatchObject({ counts: { dialing: 1, pending: 1 }, total: 2, final: 0 });
  });
});
