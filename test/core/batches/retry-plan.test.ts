// Retries of patients not reached (batches/retry-plan.ts): one more call after the delay, never past the
// appointment, and in a batch's wait loop only re-planned when a call became final or the settings changed.
import { afterEach, describe, expect, it } from 'vitest';
import { planRetries, retryPlannerFor } from '../../../src-main/core/batches/retry-plan';
import { createBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts, markDialing } from '../../../src-main/core/store/call-attempts';
import { recordCallPlaced, recordStatusEvent } from '../../../src-main/core/store/status-events';
import { addAppointments, makeSettings, tempDb } from './fixtures';

const NOW = Date.parse('2030-01-14T15:00:00Z');
const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});

/** A batch of one patient whose call ended busy. */
function busyBatch(appointmentAt = '2030-01-15T10:00:00+00:00') {
  const store = tempDb();
  stores.push(store);
  const { db } = store;
  const batch = createBatch(db, { appointmentIds: addAppointments(db, ['+12125550100'], appointmentAt), simulated: false, now: new Date(NOW) });
  const [attempt] = listBatchAttempts(db, batch.id);
  const at = new Date(NOW).toISOString();
  markDialing(db, attempt!.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550100', now: at });
  recordCallPlaced(db, attempt!.id, 'CA00000000000000000000000000000001', at);
  recordStatusEvent(db, { callSid: 'CA00000000000000000000000000000001', source: 'callback', sequenceNumber: 2, callStatus: 'busy', params: {}, receivedAt: at });
  return { db, batchId: batch.id };
}

const settings = makeSettings({ calling: { max_retries: 1, retry_delay_seconds: 600 } });

describe('retries', () => {
  it('queue one more call of a busy patient after the delay, once, and none that would ring at or after the appointment', () => {
    const { db, batchId } = busyBatch();
    expect(planRetries(db, batchId, settings, NOW)).toBe(1);
    expect(planRetries(db, batchId, settings, NOW)).toBe(0); // idempotent
    const retry = listBatchAttempts(db, batchId).find((a) => a.attemptNumber === 2)!;
    expect(retry).toMatchObject({ state: 'pending', retryAt: new Date(NOW + 600_000).toISOString() });

    const soon = busyBatch(new Date(NOW + 300_000).toISOString()); // the appointment is before the retry would ring
    expect(planRetries(soon.db, soon.batchId, settings, NOW)).toBe(0);
  });

  it('in the wait loop, re-plan only when the final count or the settings moved', () => {
    const { db, batchId } = busyBatch();
    const planIfMoved = retryPlannerFor(db, batchId);
    expect(planIfMoved(1, settings, NOW)).toBe(1);
    db.prepare('DELETE FROM call_attempts WHERE attempt_number = 2').run(); // a plan would queue it again...
    expect(planIfMoved(1, settings, NOW + 1_000)).toBe(0); // ...but nothing moved, so no plan is made
    expect(listBatchAttempts(db, batchId)).toHaveLength(1);
    expect(planIfMoved(1, makeSettings({ calling: { max_retries: 1, retry_delay_seconds: 600 } }), NOW + 2_000)).toBe(1); // settings changed
    db.prepare('DELETE FROM call_attempts WHERE attempt_number = 2').run();
    expect(planIfMoved(2, settings, NOW + 3_000)).toBe(1); // another call became final
  });
});
