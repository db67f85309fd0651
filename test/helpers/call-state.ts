import type { CallAttempt } from '../../src-main/core/domain';

/** The part of a call attempt derived from its status events: what convergence tests compare. */
export function derivedCallState(a: CallAttempt) {
  return {
    status: a.status,
    isFinal: a.isFinal,
    statusSource: a.statusSource,
    lastSequenceNumber: a.lastSequenceNumber,
    answered: a.answered,
    answeredBy: a.answeredBy,
    durationSeconds: a.durationSeconds,
    errorCode: a.errorCode,
    errorMessage: a.errorMessage,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
  };
}
