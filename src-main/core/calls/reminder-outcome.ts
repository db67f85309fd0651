import type { CallAttempt, ReminderOutcome } from '../domain';
import { isFinalStatus } from './call-status';

// What a reminder call achieved for the front desk, decided in one place from the stored attempt. The batch
// progress, the results per batch / day, the follow-up list, the exports and the eligibility rules all read it.

export type OutcomeFacts = Pick<CallAttempt, 'state' | 'status' | 'isFinal' | 'answered' | 'answeredBy' | 'confirmation'>;

/** Why a call did not reach the patient; null when it did (or is not over). */
export type NotReachedKind = 'busy' | 'no-answer' | 'failed' | 'not-placed';

/** Twilio's AnsweredBy values for an answering machine / voicemail greeting (AMD). */
function isMachine(answeredBy: string | null): boolean {
  return answeredBy !== null && (answeredBy.startsWith('machine') || answeredBy === 'fax');
}

export function reminderOutcome(attempt: OutcomeFacts): ReminderOutcome {
  // A key pressed is the answer staff care about, whatever status came after it.
  if (attempt.confirmation === 'confirmed') return 'confirmed';
  if (attempt.confirmation === 'cancelled') return 'cancelled';
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

/** Final outcomes only: what the chart and the counts show (ringing / on the line are not outcomes). */
export function isFinalOutcome(outcome: ReminderOutcome): outcome is 'confirmed' | 'cancelled' | 'reached' | 'voicemail' | 'not-reached' {
  return isReminded(outcome) || outcome === 'not-reached';
}
