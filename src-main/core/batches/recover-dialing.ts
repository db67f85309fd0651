import type { CallAttempt } from '../domain';
import { createLogger, type Logger } from '../logging/logger';
import { recordCallSnapshot } from '../calls/record-call-snapshot';
import { getBatch } from '../store/batches';
import { earlierUnresolvedDials, getCallAttempt, getCallAttemptBySid, markDialRetry, skipPendingAttempts } from '../store/call-attempts';
import type { Db } from '../store/database';
import { recordCallPlaced } from '../store/status-events';
import type { CallResource, CallsApi } from '../twilio/twilio-client';
import type { Clock, Sleep } from './timing';

// An attempt left in `dialing` means we asked Twilio to dial and never learned the answer (the process died,
// or the request failed without a response). Twilio may or may not have created the call; the only safe
// way to know is to ask its Calls list before anybody dials that appointment again.

/**
 * How long after dial_started_at we wait before trusting "Twilio has no such call". A create that was still
 * inside Twilio when we ask would be missed otherwise (the tiny race of the crash case); a create that has not
 * answered within our request timeout is answered or abandoned well within this bound.
 */
export const DIAL_SETTLE_MS = 20_000;
/** Our clock and Twilio's disagree a little: calls created this long before our dial_started_at still match. */
export const CLOCK_SKEW_MS = 120_000;

export interface RecoverDeps {
  db: Db;
  calls: CallsApi;
  clock: Clock;
  sleep: Sleep;
  logger?: Logger;
  settleMs?: number;
  skewMs?: number;
}

export type RecoveryResult =
  | { kind: 'found'; attempt: CallAttempt; call: CallResource }
  | { kind: 'not-found'; attempt: CallAttempt }
  /** Nothing to do: the attempt is no longer `dialing` (someone else resolved it). */
  | { kind: 'not-dialing'; attempt: CallAttempt | null }
  /** Another dial to the same number is still unresolved: which call is whose can't be told yet; ask again later. */
  | { kind: 'undecided'; attempt: CallAttempt };

function createdAt(call: CallResource): number | null {
  return (call.dateCreated ?? call.startTime)?.getTime() ?? null;
}

/**
 * Resolves one `dialing` attempt through Twilio's Calls list: a call to the same number from the same caller,
 * created no earlier than our dial time (minus skew) and not already owned by another attempt, is this
 * attempt's call: its SID is stored (adopting orphan callbacks) and its status recorded with source
 * `reconcile`. Only when Twilio has no such call does the attempt go back to `pending`, to be dialled again.
 * Errors from Twilio propagate and leave the attempt in `dialing` (safe: it is retried, never re-dialled blind).
 */
export async function recoverDialingAttempt(deps: RecoverDeps, attemptId: number): Promise<RecoveryResult> {
  const log = deps.logger ?? createLogger('dispatch');
  const before = getCallAttempt(deps.db, attemptId);
  if (!before || before.state !== 'dialing') return { kind: 'not-dialing', attempt: before };
  if (!before.toNumber || !before.fromNumber || !before.dialStartedAt) {
    markDialRetry(deps.db, attemptId, { code: null, message: 'Dial was interrupted before it reached Twilio' }, new Date(deps.clock()).toISOString());
    return { kind: 'not-found', attempt: getCallAttempt(deps.db, attemptId)! };
  }
  const dialedAt = Date.parse(before.dialStartedAt);
  const settleUntil = dialedAt + (deps.settleMs ?? DIAL_SETTLE_MS);
  const now = deps.clock();
  if (now < settleUntil) await deps.sleep(settleUntil - now);

  // Deliberately no StartTime filter on the request: a call still `queued` inside Twilio (CPS queueing) has
  // no StartTime yet and would be missed. DateCreated is always set, so we match on it here instead.
  const skew = deps.skewMs ?? CLOCK_SKEW_MS;
  const earliest = dialedAt - skew;
  // Twilio creates the call while our create request is in flight (bounded by the client's timeout), so a call
  // created long after our dial is someone else's (another batch calling the same household, say).
  const latest = dialedAt + (deps.settleMs ?? DIAL_SETTLE_MS) + skew;
  // Two unresolved dials to one number (two batches calling the same household): resolve them in dial order, so the
  // earlier dial adopts the earlier call and the later one then only sees the call that is left.
  const rivals = earlierUnresolvedDials(deps.db, { id: attemptId, toNumber: before.toNumber, dialStartedAt: before.dialStartedAt }, new Date(earliest).toISOString());
  if (rivals.length > 0) {
    log.info('An earlier dial to the same number is unresolved; deciding after it', { attemptId, rivals });
    return { kind: 'undecided', attempt: before };
  }
  const listed = await deps.calls.list({ to: before.toNumber, from: before.fromNumber, pageSize: 50 });
  const candidates = listed
    .filter((call) => {
      const at = createdAt(call) ?? Infinity;
      return call.to === before.toNumber && at >= earliest && at <= latest;
    })
    .filter((call) => {
      const owner = getCallAttemptBySid(deps.db, call.sid);
      return owner === null || owner.id === attemptId;
    })
    .sort((a, b) => (createdAt(a) ?? 0) - (createdAt(b) ?? 0));

  const current = getCallAttempt(deps.db, attemptId);
  if (!current || current.state !== 'dialing') return { kind: 'not-dialing', attempt: current };
  const at = new Date(deps.clock()).toISOString();
  const match = candidates[0];
  if (match) {
    if (candidates.length > 1) {
      log.warn('Several Twilio calls match an interrupted dial; adopting the earliest', { attemptId, callSids: candidates.map((c) => c.sid) });
    }
    recordCallPlaced(deps.db, attemptId, match.sid, at);
    const recorded = recordCallSnapshot(deps.db, match, 'reconcile', at);
    log.info('Interrupted dial found in Twilio: call adopted, not dialled again', { attemptId, callSid: match.sid, status: match.status });
    return { kind: 'found', attempt: recorded.attempt ?? getCallAttempt(deps.db, attemptId)!, call: match };
  }
  markDialRetry(deps.db, attemptId, { code: null, message: 'The dial was interrupted and Twilio has no such call; dialling again' }, at);
  // A batch that was cancelled or closed meanwhile will never dial it again: say so rather than leave it pending.
  const batch = getBatch(deps.db, current.batchId);
  if (batch && batch.state !== 'running' && batch.state !== 'paused') skipPendingAttempts(deps.db, batch.id, at);
  log.info('Interrupted dial not found in Twilio: back to pending', { attemptId });
  return { kind: 'not-found', attempt: getCallAttempt(deps.db, attemptId)! };
}
