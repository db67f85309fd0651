import { isReminded } from '../calls/reminder-outcome';
import type { Appointment, ReminderOutcome, SkipReason } from '../domain';

// Nobody is called by accident (issue 8): the ONE place that decides who a new batch calls. Pure: the API's
// plan and start, `reminder-desk run` and the scheduler all pass what they know and get the same answer.
//
// Rules, in the order they are checked (the first that applies is the reason given):
//  1. do-not-call         the number is on the clinic's do-not-call list
//  2. appointment-passed  the appointment time is not in the future
//  3. being-called        a batch still calling has this patient waiting or on the line
//  4. already-reminded    an earlier call reached them (a person, a voicemail) or they confirmed / cancelled;
//                         staff may call such a patient again, one by one (`callAgain`)
//  5. outside-calling-hours  real calls only (practice calls reach nobody)
// A patient only ever not-reached (busy, no answer, failed, not placed) may be called again by a new batch.

export type Candidate = Pick<Appointment, 'id' | 'name' | 'phoneNumber' | 'appointmentAt' | 'confirmation'>;

export interface EligibilityRules {
  nowMs: number;
  /** Practice mode: calls reach nobody, so calling hours do not apply. */
  practice: boolean;
  withinCallingHours: boolean;
  /** The do-not-call list (store/do-not-call.ts when it exists); default: nobody is on it. */
  isDoNotCall?: (e164: string) => boolean;
  /** Already-reminded patients staff chose to call again. */
  callAgain?: ReadonlySet<number> | readonly number[];
}

export interface Skipped<C extends Candidate = Candidate> {
  appointment: C;
  reason: SkipReason;
  /** For already-reminded: what reached them last. */
  lastOutcome: ReminderOutcome | null;
}

export interface Eligibility<C extends Candidate = Candidate> {
  toCall: C[];
  skipped: Skipped<C>[];
}

/** The outcomes of a patient's earlier calls, newest first (rule skips left out). */
export type CallHistory = readonly ReminderOutcome[];

export const NOBODY_ON_DO_NOT_CALL = (): boolean => false;

export function decideEligibility<C extends Candidate>(candidates: readonly C[], historyOf: (appointmentId: number) => CallHistory, rules: EligibilityRules): Eligibility<C> {
  const isDoNotCall = rules.isDoNotCall ?? NOBODY_ON_DO_NOT_CALL;
  const callAgain = new Set(rules.callAgain ?? []);
  const result: Eligibility<C> = { toCall: [], skipped: [] };
  const seen = new Set<number>();
  for (const appointment of candidates) {
    if (seen.has(appointment.id)) continue;
    seen.add(appointment.id);
    const skip = (reason: SkipReason, lastOutcome: ReminderOutcome | null = null): void => {
      result.skipped.push({ appointment, reason, lastOutcome });
    };
    const history = historyOf(appointment.id);
    if (isDoNotCall(appointment.phoneNumber)) {
      skip('do-not-call');
      continue;
    }
    const at = Date.parse(appointment.appointmentAt);
    if (!(at > rules.nowMs)) {
      skip('appointment-passed');
      continue;
    }
    if (history.some((o) => o === 'waiting' || o === 'in-progress')) {
      skip('being-called');
      continue;
    }
    const reminded = lastReminder(appointment, history);
    if (reminded && !callAgain.has(appointment.id)) {
      skip('already-reminded', reminded);
      continue;
    }
    if (!rules.practice && !rules.withinCallingHours) {
      skip('outside-calling-hours');
      continue;
    }
    result.toCall.push(appointment);
  }
  return result;
}

/** What reached the patient last, or null when nothing did. A key pressed on an earlier call is kept on the appointment. */
function lastReminder(appointment: Candidate, history: CallHistory): ReminderOutcome | null {
  const fromCalls = history.find(isReminded) ?? null;
  if (fromCalls) return fromCalls;
  return appointment.confirmation ?? null;
}

/** How many patients are skipped for each reason. */
export function countSkips(skipped: readonly Pick<Skipped, 'reason'>[]): Partial<Record<SkipReason, number>> {
  const counts: Partial<Record<SkipReason, number>> = {};
  for (const { reason } of skipped) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}
