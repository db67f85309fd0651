import type { CallAttempt, Confirmation, ReminderOutcome } from '../domain';
import { isFinalStatus } from './call-status';
import { isMachine } from '../twilio/keypad';

// What a reminder call achieved for the front desk, decided in one place from the stored attempt. The batch
// progress, the results per batch / day, the follow-up list, the exports and the eligibility rules all read it.

export type OutcomeFacts = Pick<CallAttempt, 'state' | 'status' | 'isFinal' | 'answered' | 'answeredBy' | 'confirmation'>;

/** Why a call did not reach the patient; null when it did (or is not over). */
export type NotReachedKind = 'busy' | 'no-answer' | 'failed' | 'not-placed';

export function reminderOutcome(attempt: OutcomeFacts): ReminderOutcome {
  // A key pressed is the answer staff care about, whatever status came after it.
  if (attempt.confirmation === 'confirmed') return 'confirmed';
  if (attempt.confirmation === 'cancelled') return 'cancelled';
  // Pressed 9 (no more calls): a person answered; the do-not-call list keeps them from being called again.
  if (attempt.confirmation === 'opted_out') return 'reached';
  if (attempt.state === 'skipped') return 'not-called';
  if (attempt.state === 'pending') return 'waiting';
  if (attempt.state === 'rejected') return 'not-reached';
  if (!attempt.isFinal && !isFinalStatus(attempt.status)) return 'in-progress';
  if (attempt.status === 'completed' && attempt.answered) {
    if (attempt.answeredBy === 'fax') return 'not-reached';
    return isMachine(attempt.answeredBy) ? 'voicemail' : 'reached';
  }
  return 'not-reached';
}

/** For a not-reached call: busy, no answer, failed (carrier or Twilio), or never placed (Twilio refused it). */
export function notReachedKind(attempt: OutcomeFacts): NotReachedKind | null {
  if (reminderOutcome(attempt) !== 'not-reached') return null;
  if (attempt.state === 'rejected') return 'not-placed';
  if (attempt.status === 'busy') return 'busy';
  if (attempt.status === 'no-answer' || attempt.status === 'canceled') return 'no-answer';
  if (attempt.status === 'completed') return 'no-answer'; // completed without an answer (or a fax machine)
  return 'failed';
}

/** The reminder reached the patient: a person answered, a voicemail was left, or a key was pressed. */
export function isReminded(outcome: ReminderOutcome): boolean {
  return outcome === 'confirmed' || outcome === 'cancelled' || outcome === 'reached' || outcome === 'voicemail';
}

/** What a keypad answer kept on the appointment says about the reminder. */
export function outcomeOfConfirmation(confirmation: Confirmation): ReminderOutcome {
  return confirmation === 'opted_out' ? 'reached' : confirmation;
}
