import { isFinalStatus, shouldApply } from '../calls/call-status';
import type { CallAttempt, CallStatus, StatusEvent, StatusSource } from '../domain';
import { callAttemptRowBySid, markPlaced, rowToCallAttempt, updateDerivedState, type CallAttemptRow } from './call-attempts';
import type { Db } from './database';
import { cachedStatement } from './statement-cache';

export interface StatusEventInput {
  callSid: string;
  source: StatusSource;
  /** Twilio's SequenceNumber for callbacks; null for poll / reconcile snapshots of the Call resource. */
  sequenceNumber: number | null;
  callStatus: CallStatus;
  answeredBy?: string | null;
  durationSeconds?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** When Twilio says it happened (callback Timestamp), ISO. */
  twilioTimestamp?: string | null;
  /** From the Call resource (poll / reconcile): when the call was answered and when it ended, ISO. */
  startedAt?: string | null;
  endedAt?: string | null;
  params: Record<string, string>;
  receivedAt: string;
}

export interface RecordResult {
  /** false when this exact event was already stored (a duplicate callback). */
  stored: boolean;
  /** true when the call's status changed. */
  applied: boolean;
  /** The call after the event, or null for an orphan (CallSid not known yet). */
  attempt: CallAttempt | null;
}

interface StatusEventRow {
  id: number;
  call_sid: string;
  attempt_id: number | null;
  source: StatusSource;
  sequence_number: number | null;
  call_status: CallStatus;
  answered_by: string | null;
  duration_seconds: number | null;
  error_code: string | null;
  twilio_timestamp: string | null;
  received_at: string;
  params: string;
  started_at: string | null;
  ended_at: string | null;
}

function rowToStatusEvent(row: StatusEventRow): StatusEvent {
  return {
    id: row.id,
    callSid: row.call_sid,
    attemptId: row.attempt_id,
    source: row.source,
    sequenceNumber: row.sequence_number,
    callStatus: row.call_status,
    answeredBy: row.answered_by,
    durationSeconds: row.duration_seconds,
    errorCode: row.error_code,
    twilioTimestamp: row.twilio_timestamp,
    receivedAt: row.received_at,
    params: JSON.parse(row.params) as Record<string, string>,
  };
}

function rowToInput(row: StatusEventRow): StatusEventInput {
  const params = JSON.parse(row.params) as Record<string, string>;
  return {
    callSid: row.call_sid,
    source: row.source,
    sequenceNumber: row.sequence_number,
    callStatus: row.call_status,
    answeredBy: row.answered_by,
    durationSeconds: row.duration_seconds,
    errorCode: row.error_code,
    errorMessage: params.ErrorMessage ?? null,
    twilioTimestamp: row.twilio_timestamp,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    params,
    receivedAt: row.received_at,
  };
}

/**
 * Folds one event into the call's derived state. Facts (answered, AnsweredBy, duration, start time) are merged
 * from every event, even a late one; the status itself only moves forward (see `shouldApply`).
 */
function applyToAttempt(db: Db, attempt: CallAttemptRow, event: StatusEventInput): boolean {
  const applies = shouldApply(
    { status: attempt.status, source: attempt.status_source, lastSequenceNumber: attempt.last_sequence_number },
    { status: event.callStatus, source: event.source, sequenceNumber: event.sequenceNumber },
  );
  const at = event.twilioTimestamp ?? event.receivedAt;
  const reachedPerson = event.callStatus === 'in-progress' || event.callStatus === 'completed';
  const next = {
    status: applies ? event.callStatus : attempt.status,
    is_final: applies ? (isFinalStatus(event.callStatus) ? 1 : 0) : attempt.is_final,
    status_source: applies ? event.source : attempt.status_source,
    last_sequence_number:
      event.sequenceNumber === null ? attempt.last_sequence_number : Math.max(event.sequenceNumber, attempt.last_sequence_number ?? -1),
    answered: attempt.answered === 1 || reachedPerson ? 1 : 0,
    answered_by: attempt.answered_by ?? event.answeredBy ?? null,
    duration_seconds: event.durationSeconds ?? attempt.duration_seconds,
    error_code: event.errorCode ?? attempt.error_code,
    error_message: event.errorMessage ?? attempt.error_message,
    started_at: attempt.started_at ?? event.startedAt ?? (event.callStatus === 'in-progress' ? at : null),
    ended_at: attempt.ended_at ?? event.endedAt ?? (applies && isFinalStatus(event.callStatus) ? at : null),
    updated_at: event.receivedAt,
    id: attempt.id,
  };
  updateDerivedState(db, next);
  return applies;
}


/**
 * Stores one status event and folds it into its call, in one transaction: when this returns the event is durable
 * (the callback server only acknowledges Twilio after it). Duplicates are no-ops; unknown CallSids are kept as orphans.
 */
export function recordStatusEvent(db: Db, event: StatusEventInput): RecordResult {
  return db.transaction((): RecordResult => {
    const attempt = callAttemptRowBySid(db, event.callSid);
    const inserted = cachedStatement(
      db,
      `INSERT OR IGNORE INTO status_events (call_sid, attempt_id, source, sequence_number, call_status, answered_by, duration_seconds, error_code, twilio_timestamp, received_at, params, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        event.callSid,
        attempt?.id ?? null,
        event.source,
        event.sequenceNumber,
        event.callStatus,
        event.answeredBy ?? null,
        event.durationSeconds ?? null,
        event.errorCode ?? null,
        event.twilioTimestamp ?? null,
        event.receivedAt,
        JSON.stringify(event.params),
        event.startedAt ?? null,
        event.endedAt ?? null,
      );
    if (inserted.changes === 0) return { stored: false, applied: false, attempt: attempt ? rowToCallAttempt(attempt) : null };
    if (!attempt) return { stored: true, applied: false, attempt: null };
    const applied = applyToAttempt(db, attempt, event);
    return { stored: true, applied, attempt: rowToCallAttempt(callAttemptRowBySid(db, event.callSid)!) };
  })();
}

/**
 * Twilio accepted the call: store its SID and fold in any callbacks that arrived before we knew it
 * (they were kept as orphans), in sequence order.
 */
export function recordCallPlaced(db: Db, attemptId: number, callSid: string, now: string): CallAttempt {
  return db.transaction(() => {
    markPlaced(db, attemptId, callSid, now);
    const orphans = db
      .prepare<[string], StatusEventRow>(
        'SELECT * FROM status_events WHERE call_sid = ? AND attempt_id IS NULL ORDER BY sequence_number IS NULL, sequence_number, id',
      )
      .all(callSid);
    db.prepare('UPDATE status_events SET attempt_id = ? WHERE call_sid = ? AND attempt_id IS NULL').run(attemptId, callSid);
    for (const orphan of orphans) applyToAttempt(db, callAttemptRowBySid(db, callSid)!, rowToInput(orphan));
    return rowToCallAttempt(callAttemptRowBySid(db, callSid)!);
  })();
}

export function listCallEvents(db: Db, callSid: string): StatusEvent[] {
  return db
    .prepare<[string], StatusEventRow>('SELECT * FROM status_events WHERE call_sid = ? ORDER BY sequence_number IS NULL, sequence_number, received_at, id')
    .all(callSid)
    .map(rowToStatusEvent);
}

export function countOrphanEvents(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM status_events WHERE attempt_id IS NULL').get()!.n;
}
