import { afterEach, describe, expect, it } from 'vitest';
import { skipIfRuled } from '../../../src-main/core/batches/skip-reason';
import { createBatch } from '../../../src-main/core/store/batches';
import { listAppointmentAttempts, listBatchAttempts } from '../../../src-main/core/store/call-attempts';
import { addToDoNotCall } from '../../../src-main/core/store/do-not-call';
import { addAppointments, tempDb } from './fixtures';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('skipIfRuled: a call a rule stops right before its dial', () => {
  it('is stored as skipped with its rule, so it never counts as a call of the patient', () => {
    const store = tempDb();
    cleanup = store.cleanup;
    const [id] = addAppointments(store.db, ['+12125550190'], '2030-01-15T10:00:00Z');
    const batch = createBatch(store.db, { appointmentIds: [id!], simulated: true, now: new Date('2030-01-14T10:00:00Z') });
    addToDoNotCall(store.db, { phoneNumber: '+12125550190', reason: 'asked on the phone', source: 'staff', now: '2030-01-14T10:00:00Z' });
    const [attempt] = listBatchAttempts(store.db, batch.id);

    const skipped = skipIfRuled(store.db, attempt!, Date.parse('2030-01-14T10:01:00Z'));

    expect(skipped).toMatchObject({ state: 'skipped', skipReason: 'do-not-call', errorMessage: 'do-not-call list' });
    expect(listAppointmentAttempts(store.db, id!)).toEqual([]);
  });
});
