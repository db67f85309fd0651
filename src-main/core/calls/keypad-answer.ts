import type { CallAttempt } from '../domain';
import { isFinalStatus } from './call-status';

// Whether a keypad answer (/gather) may change the appointment's confirmation. A signed /gather request can be
// captured and posted again later (the signature covers the URL and the parameters, not the time): a replayed
// "press 1" after the patient pressed 2 must not turn a cancellation into a confirmation. So an answer counts
// only for the call this attempt placed (its CallSid), only once per call, and not once the call has ended.
// Twilio posts the answer and the final status callback separately, and they can arrive in either order: an
// answer arriving within END_GRACE_MS of the call's end still counts. Pure: no I/O; the clock is passed in.

export type KeypadVerdict = { accept: true } | { accept: false; reason: string };

/** How long after the call's recorded end a first answer is still taken (the two requests race). */
export const END_GRACE_MS = 120_000;

export const IGNORED_KEYPAD_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

export function judgeKeypadAnswer(
  attempt: Pick<CallAttempt, 'callSid' | 'status' | 'endedAt' | 'confirmation'> | null,
  requestCallSid: string | null | undefined,
  nowMs: number,
): KeypadVerdict {
  if (!attempt) return { accept: false, reason: 'Keypad answer ignored: no such call attempt' };
  // No SID stored yet: calls.create has not answered, so this attempt's only call is the one being placed now.
  if (attempt.callSid !== null && requestCallSid !== attempt.callSid) {
    return { accept: false, reason: 'Keypad answer ignored: its CallSid is not the call this attempt placed (a replay?)' };
  }
  if (attempt.confirmation !== null) {
    return { accept: false, reason: `Keypad answer ignored: this call was already answered (${attempt.confirmation}) — a replay?` };
  }
  if (isFinalStatus(attempt.status)) {
    const endedAt = attempt.endedAt === null ? Number.NaN : Date.parse(attempt.endedAt);
    if (!(nowMs - endedAt <= END_GRACE_MS)) {
      return { accept: false, reason: `Keypad answer ignored: the call had already ended (${attempt.status}) — a replay?` };
    }
  }
  return { accept: true };
}
