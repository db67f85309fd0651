import type { Appointment, CallAttempt, SkipReason } from '../domain';
import type { Db } from '../store/database';
import { getAppointment } from '../store/appointments';
import { getCallAttempt, markSkipped } from '../store/call-attempts';
import { isOnDoNotCallList } from '../store/do-not-call';

// The one place that says "do not dial this call", checked right before every dial (first calls, scheduled
// batches, retries), so a number added to the do-not-call list mid-batch is never rung. The reason is stored on
// the skipped attempt (error_message) and shown to staff.

export const DO_NOT_CALL_REASON = 'do-not-call list';
export const APPOINTMENT_PASSED_REASON = 'appointment passed';
export const ALREADY_ANSWERED_REASON = 'patient already answered';

const RULE_OF: Readonly<Record<string, SkipReason>> = {
  [DO_NOT_CALL_REASON]: 'do-not-call',
  [APPOINTMENT_PASSED_REASON]: 'appointment-passed',
  [ALREADY_ANSWERED_REASON]: 'already-reminded',
};

export function skipReasonFor(
  db: Db,
  appointment: Pick<Appointment, 'phoneNumber' | 'appointmentAt' | 'confirmation'>,
  attempt: Pick<CallAttempt, 'attemptNumber'>,
  nowMs: number,
): string | null {
  if (isOnDoNotCallList(db, appointment.phoneNumber)) return DO_NOT_CALL_REASON;
  // A retry never rings after the appointment (held by calling hours past it, say). First calls of past
  // appointments are staff's decision here; the batch eligibility rules decide those.
  if (attempt.attemptNumber > 1 && Date.parse(appointment.appointmentAt) <= nowMs) return APPOINTMENT_PASSED_REASON;
  // A retry queued before the patient answered another call (or the appointment was cancelled) is not needed.
  if (attempt.attemptNumber > 1 && appointment.confirmation !== null) return ALREADY_ANSWERED_REASON;
  return null;
}

/** Marks a pending attempt skipped when a rule forbids it; returns the skipped attempt, or null to dial it. */
export function skipIfRuled(db: Db, attempt: CallAttempt, nowMs: number): CallAttempt | null {
  const appointment = getAppointment(db, attempt.appointmentId);
  const reason = appointment ? skipReasonFor(db, appointment, attempt, nowMs) : null;
  if (reason === null) return null;
  // The rule too, not only its words: a call a rule stopped is not a call (store/call-attempts IS_CALL_SQL).
  markSkipped(db, attempt.id, { reason: RULE_OF[reason]!, words: reason }, new Date(nowMs).toISOString());
  return getCallAttempt(db, attempt.id);
}
