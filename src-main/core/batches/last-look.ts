import { recordCallSnapshot } from '../calls/record-call-snapshot';
import type { CallAttempt } from '../domain';
import type { Logger } from '../logging/logger';
import { listBatchAttempts } from '../store/call-attempts';
import { batchCounts } from '../store/call-history';
import type { Db } from '../store/database';
import { describeTwilioError, type CallsApi } from '../twilio/twilio-client';

// Before a batch gives up waiting, one last look: a dropped final callback must not make a finished call look open.

export interface LastLookDeps {
  db: Db;
  calls: CallsApi;
  now: () => string;
  log: Logger;
  onUpdated: (attempt: CallAttempt) => void;
}

/** Asks Twilio once about each open call of the batch (source `reconcile`); true when that finished them all. */
export async function lastLookAtOpenCalls(deps: LastLookDeps, batchId: string): Promise<boolean> {
  const open = listBatchAttempts(deps.db, batchId).filter((a) => a.state === 'placed' && !a.isFinal && a.callSid);
  for (const attempt of open) {
    try {
      const result = recordCallSnapshot(deps.db, await deps.calls.fetch(attempt.callSid!), 'reconcile', deps.now());
      if (result.applied && result.attempt) deps.onUpdated(result.attempt);
    } catch (err) {
      deps.log.warn('Could not ask Twilio about an open call', { callSid: attempt.callSid, error: describeTwilioError(err).message });
    }
  }
  const { total, final } = batchCounts(deps.db, batchId);
  return open.length > 0 && final >= total;
}
