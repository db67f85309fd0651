import type { CallAttempt } from '../domain';
import { isFinalStatus } from './call-status';

// Whether a keypad answer (/gather) may change the appointment's confirmation. A signed /gather request can be
// captured and posted again later (the signature covers the URL and the parameters, not the time): a replayed
// "press 1" after the patient pressed 2 must not turn a cancellation into a confirmation. So an answer counts only
// for the call this attempt placed (its CallSid) and only while that call has not ended. Pure: no I/O.

export type KeypadVerdict = { accept: true } | { accept: false; reason: string };

export function judgeKeypadAnswer(attempt: Pick<CallAttempt, 'callSid' | 'status'> | null, requestCallSid: string | null | undefined): KeypadVerdict {
  if (!attempt) return { accept: false, reason: 'Keypad answer ignored: no such call attempt' };
  if (!attempt.callSid) return { accept: false, reason: 'Keypad answer ignored: this attempt has no placed call yet' };
  if (requestCallSid !== attempt.callSid) {
    return { accept: false, reason: 'Keypad answer ignored: its CallSid is not the call this attempt placed (a replay?)' };
  }
  if (isFinalStatus(attempt.status)) {
    return { accept: false, reason: `Keypad answer ignored: the call had already ended (${attempt.status}) — a replay?` };
  }
  return { accept: true };
}
