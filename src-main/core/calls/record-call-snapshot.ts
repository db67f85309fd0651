import { isFinalStatus } from './call-status';
import type { StatusSource } from '../domain';
import type { Db } from '../store/database';
import { recordStatusEvent, type RecordResult, type StatusEventInput } from '../store/status-events';
import type { CallResource } from '../twilio/twilio-client';

/**
 * Stores what Twilio's Call resource says about a call, as a `poll` or `reconcile` event. Statuses map 1:1
 * (the resource has no `initiated`; `queued` is simply not final). A snapshot has no SequenceNumber, so the
 * store orders it by progress and never lets it replace a final status.
 */
export function recordCallSnapshot(db: Db, call: CallResource, source: SnapshotSource, receivedAt: string): RecordResult {
  return recordStatusEvent(db, snapshotEvent(call, source, receivedAt));
}

export type SnapshotSource = Extract<StatusSource, 'poll' | 'reconcile'>;

/** A snapshot of the Call resource as a status event (stored by recordCallSnapshot or a group commit). */
export function snapshotEvent(call: CallResource, source: SnapshotSource, receivedAt: string): StatusEventInput {
  const reachedPerson = call.status === 'in-progress' || call.status === 'completed';
  const params: Record<string, string> = { CallSid: call.sid, CallStatus: call.status, To: call.to, From: call.from };
  if (call.answeredBy) params.AnsweredBy = call.answeredBy;
  if (call.duration !== null) params.CallDuration = String(call.duration);
  if (call.startTime) params.StartTime = call.startTime.toISOString();
  if (call.endTime) params.EndTime = call.endTime.toISOString();
  return {
    callSid: call.sid,
    source,
    sequenceNumber: null,
    callStatus: call.status,
    answeredBy: call.answeredBy,
    durationSeconds: isFinalStatus(call.status) ? call.duration : null,
    startedAt: reachedPerson && call.startTime ? call.startTime.toISOString() : null,
    endedAt: isFinalStatus(call.status) && call.endTime ? call.endTime.toISOString() : null,
    params,
    receivedAt,
  };
}
