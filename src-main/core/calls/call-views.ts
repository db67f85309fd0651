import type { CallSummary, TimelineEvent } from '../api/contract';
import type { CallAttempt, StatusEvent } from '../domain';

// A call attempt and its events as the UI shows them; the same shapes whether the UI asked or was told (pushes).

/** The status chip: Twilio's status once Twilio reported one, otherwise our own attempt state. */
export function toCallSummary(attempt: CallAttempt): CallSummary {
  const status: CallSummary['status'] =
    attempt.status ?? (attempt.state === 'skipped' ? 'skipped' : attempt.state === 'dialing' || attempt.state === 'placed' ? 'dialing' : 'pending');
  return {
    attemptId: attempt.id,
    batchId: attempt.batchId,
    callSid: attempt.callSid,
    status,
    isFinal: attempt.isFinal,
    source: attempt.statusSource,
    answered: attempt.answered,
    answeredBy: attempt.answeredBy,
    durationSeconds: attempt.durationSeconds,
    errorMessage: attempt.errorMessage,
    confirmation: attempt.confirmation,
    updatedAt: attempt.updatedAt,
  };
}

export function toTimelineEvent(event: StatusEvent): TimelineEvent {
  return {
    id: event.id,
    source: event.source,
    sequenceNumber: event.sequenceNumber,
    callStatus: event.callStatus,
    answeredBy: event.answeredBy,
    durationSeconds: event.durationSeconds,
    errorCode: event.errorCode,
    twilioTimestamp: event.twilioTimestamp,
    receivedAt: event.receivedAt,
  };
}
