import type { CallAttempt } from '../domain';
import type { Settings } from '../settings/schema';
import { getAppointment } from '../store/appointments';
import { insertRetryAttempt, lastAttemptsOfBatch } from '../store/call-attempts';
import type { Db } from '../store/database';
import { isOnDoNotCallList } from '../store/do-not-call';
import { isMachine } from '../twilio/keypad';

// Retries of patients not reached: busy, no-answer and failed calls (and voicemail with calling.voicemail_action
// `retry`) get a new call attempt of the same reminder, calling.retry_delay_seconds after the last one was seen to end, up to
// calling.max_retries, never at or after the appointment. A call a person answered is never retried. The retry is
// a row (state pending, retry_at), so it survives a restart; calling hours are applied when it is dialled.

const NOT_REACHED = new Set(['busy', 'no-answer', 'failed']);

/** Whether this finished call did not reach the patient and should be tried again (ignoring counts and times). */
export function wantsRetry(attempt: Pick<CallAttempt, 'state' | 'isFinal' | 'status' | 'answeredBy' | 'confirmation'>, settings: Settings): boolean {
  if (attempt.state !== 'placed' || !attempt.isFinal || attempt.confirmation !== null) return false;
  if (attempt.status !== null && NOT_REACHED.has(attempt.status)) return true;
  return attempt.status === 'completed' && isMachine(attempt.answeredBy) && settings.calling.voicemail_action === 'retry';
}

/** Queues the retries a batch needs now; returns how many were added. Idempotent. */
export function planRetries(db: Db, batchId: string, settings: Settings, nowMs: number, delayScale = 1): number {
  const { max_retries: maxRetries, retry_delay_seconds: delaySeconds } = settings.calling;
  let added = 0;
  for (const { attempt } of lastAttemptsOfBatch(db, batchId)) {
    if (attempt.attemptNumber > maxRetries || !wantsRetry(attempt, settings)) continue;
    const appointment = getAppointment(db, attempt.appointmentId);
    if (!appointment || appointment.confirmation !== null || isOnDoNotCallList(db, appointment.phoneNumber)) continue;
    // From when the runner saw the call end (its own clock), not Twilio's timestamp: one clock for every delay.
    const retryMs = nowMs + Math.round(delaySeconds * 1000 * delayScale);
    if (retryMs >= Date.parse(appointment.appointmentAt)) continue;
    const now = new Date(nowMs).toISOString();
    if (insertRetryAttempt(db, attempt, new Date(retryMs).toISOString(), now)) added += 1;
  }
  return added;
}

/**
 * planRetries for a batch's wait loop: which retries a batch needs follows from which of its calls are final (and
 * the settings), so it re-plans only when the final count or the settings moved, not on every tick (a plan reads
 * every last attempt of the batch).
 */
export function retryPlannerFor(db: Db, batchId: string): (final: number, settings: Settings, nowMs: number, delayScale?: number) => number {
  let plannedFor: { final: number; settings: Settings } | null = null;
  return (final, settings, nowMs, delayScale) => {
    if (plannedFor?.final === final && plannedFor.settings === settings) return 0;
    plannedFor = { final, settings };
    return planRetries(db, batchId, settings, nowMs, delayScale);
  };
}
