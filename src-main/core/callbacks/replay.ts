import { getCallbackRequest } from '../store/callback-requests';
import type { Db } from '../store/database';
import { recordStatusEvent, type RecordResult } from '../store/status-events';
import { STATUS_PATH } from './endpoint-urls';
import { SELF_TEST_PARAM } from './self-test';
import { parseStatusCallback } from './status-callback';

// `reminder-desk callbacks replay ID`: re-applies a stored status callback through the same parse + store path
// the listener uses. Idempotent: the store ignores an event it already holds. The signature is not checked
// again (the auth token may have changed since); only requests whose signature was valid when received qualify.

export class ReplayRefusedError extends Error {
  override readonly name = 'ReplayRefusedError';
}

export function replayCallbackRequest(db: Db, id: number): RecordResult {
  const request = getCallbackRequest(db, id);
  if (!request) throw new ReplayRefusedError(`No stored callback request has id ${id} (it may have been pruned).`);
  if (request.method !== 'POST' || request.path.replace(/(.)\/$/, '$1') !== STATUS_PATH) {
    throw new ReplayRefusedError(`Callback request ${id} is a ${request.method} ${request.path}, not a status callback: only POST /status can be replayed.`);
  }
  if (request.signatureVerdict !== 'valid') {
    throw new ReplayRefusedError(
      `Callback request ${id} was not replayed: its signature was ${request.signatureVerdict === 'not-checked' ? 'never checked' : request.signatureVerdict} when it arrived, so it may not come from Twilio.`,
    );
  }
  if (!request.params) throw new ReplayRefusedError(`Callback request ${id} has no stored body to replay.`);
  if (request.params[SELF_TEST_PARAM] !== undefined) {
    throw new ReplayRefusedError(`Callback request ${id} is a reachability self-test, not a call status.`);
  }
  // The original arrival time keeps a replay identical to the first delivery.
  const parsed = parseStatusCallback(request.params, request.receivedAt);
  if (!parsed.ok) throw new ReplayRefusedError(`Callback request ${id} cannot be replayed: ${parsed.error}.`);
  return recordStatusEvent(db, parsed.event);
}
