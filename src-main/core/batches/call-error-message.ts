import { isFinalStatus } from '../calls/call-status';
import type { CallAttempt } from '../domain';
import { SKIP_REASON_WORDS } from '../vocabulary/skip-reasons';

// One error_message per call for the exports (issue 8): never empty for a call that did not reach the patient
// or was not placed, Twilio's error code said once ("Invalid 'To' Phone Number (Twilio error 21211)"), and a
// skipped patient's reason in words.

const FINAL_WORDS: Partial<Record<NonNullable<CallAttempt['status']>, string>> = {
  busy: 'the line was busy',
  'no-answer': 'nobody answered',
  failed: 'the call could not be connected',
  canceled: 'the call was cancelled before it was answered',
};

/** "21211: Invalid 'To' Phone Number"; the code only once when the message already carries it ("… (Twilio error 21211)"). */
function twilioError(attempt: Pick<CallAttempt, 'errorCode' | 'errorMessage'>): string | null {
  const code = attempt.errorCode?.trim() || null;
  const message = attempt.errorMessage?.trim() || null;
  if (!message) return code ? `Twilio error ${code}` : null;
  if (!code || message.includes(code)) return message;
  return `${code}: ${message}`;
}

export function callErrorMessage(
  attempt: Pick<CallAttempt, 'state' | 'status' | 'skipReason' | 'errorCode' | 'errorMessage' | 'answered'>,
): string | null {
  const twilio = twilioError(attempt);
  const join = (...parts: (string | null)[]): string | null => parts.filter(Boolean).join('; ') || null;
  if (attempt.state === 'skipped') {
    // A skip at dial time (a rule of the runner) stores its reason as the message; no reason at all: a cancel.
    if (attempt.errorMessage) return attempt.errorMessage;
    return SKIP_REASON_WORDS[attempt.skipReason ?? 'batch-cancelled'].inExport;
  }
  if (attempt.status === null) {
    // Twilio never reported on this call: our own attempt state says why.
    switch (attempt.state) {
      case 'pending':
        return join('not dialled yet', twilio);
      case 'dialing':
        return join('still open: dialling, no status received yet', twilio);
      case 'placed':
        return join('still open: placed, no status received yet', twilio);
      case 'rejected':
        return twilio ?? 'Twilio refused to place the call';
    }
  }
  if (attempt.state === 'rejected') return twilio ?? 'Twilio refused to place the call';
  const status = attempt.status!;
  if (!isFinalStatus(status)) return join(`still open: last status ${status}`, twilio);
  if (status === 'completed') return attempt.answered ? twilio : join('the call ended without an answer', twilio);
  return twilio ?? FINAL_WORDS[status] ?? null;
}
