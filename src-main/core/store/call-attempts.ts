import type { AttemptState, CallAttempt, CallStatus, Confirmation, SkipReason, StatusSource } from '../domain';
import type { Db } from './database';
import { cachedStatement } from './statement-cache';

export interface CallAttemptRow {
  id: number;
  batch_id: string;
  appointment_id: number;
  position: number;
  attempt_number: number;
  retry_at: string | null;
  state: AttemptState;
  call_sid: string | null;
  status_callback_url: string | null;
  twiml_url: string | null;
  from_number: string | null;
  to_number: string | null;
  dial_started_at: string | null;
  status: CallStatus | null;
  is_final: number;
  status_source: StatusSource | null;
  last_sequence_number: number | null;
  answered: number;
  answered_by: string | null;
  duration_seconds: number | null;
  error_code: string | null;
  error_message: string | null;
  confirmation: Confirmation | null;
  confirmed_at: string | null;
  keypad_reprompts: number;
  attempts: number;
  skip_reason: SkipReason | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  updated_at: string;
}

export function rowToCallAttempt(row: CallAttemptRow): CallAttempt {
  return {
    id: row.id,
    batchId: row.batch_id,
    appointmentId: row.appointment_id,
    position: row.position,
    attemptNumber: row.attempt_number,
    retryAt: row.retry_at,
    state: row.state,
    callSid: row.call_sid,
    statusCallbackUrl: row.status_callback_url,
    twimlUrl: row.twiml_url,
    fromNumber: row.from_number,
    toNumber: row.to_number,
    dialStartedAt: row.dial_started_at,
    status: row.status,
    isFinal: row.is_final === 1,
    statusSource: row.status_source,
    lastSequenceNumber: row.last_sequence_number,
    answered: row.answered === 1,
    answeredBy: row.answered_by,
    durationSeconds: row.duration_seconds,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    confirmation: row.confirmation,
    confirmedAt: row.confirmed_at,
    keypadReprompts: row.keypad_reprompts,
    attempts: row.attempts,
    skipReason: row.skip_reason,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    updatedAt: row.updated_at,
  };
}

export function getCallAttempt(db: Db, id: number): CallAttempt | null {
  const row = db.prepare<[number], CallAttemptRow>('SELECT * FROM call_attempts WHERE id = ?').get(id);
  return row ? rowToCallAttempt(row) : null;
}

export function getCallAttemptBySid(db: Db, callSid: string): CallAttempt | null {
  const row = cachedStatement<[string], CallAttemptRow>(db, 'SELECT * FROM call_attempts WHERE call_sid = ?').get(callSid);
  return row ? rowToCallAttempt(row) : null;
}

export function listBatchAttempts(db: Db, batchId: string): CallAttempt[] {
  return db.prepare<[string], CallAttemptRow>('SELECT * FROM call_attempts WHERE batch_id = ? ORDER BY position, attempt_number').all(batchId).map(rowToCallAttempt);
}

/**
 * An attempt a rule left out at the batch's start is no call of the patient: it never shows as their latest call
 * (the board would hide a confirmation behind "skipped") nor in their timeline. A cancelled batch's skips do.
 */
export const IS_CALL_SQL = `NOT (state = 'skipped' AND COALESCE(skip_reason, 'batch-cancelled') <> 'batch-cancelled')`;

/** The appointment's calls, newest first (rule skips left out). */
export function listAppointmentAttempts(db: Db, appointmentId: number): CallAttempt[] {
  return db
    .prepare<[number], CallAttemptRow>(`SELECT * FROM call_attempts WHERE appointment_id = ? AND ${IS_CALL_SQL} ORDER BY created_at DESC, id DESC`)
    .all(appointmentId)
    .map(rowToCallAttempt);
}

/** The latest attempt of each appointment (for the board's status chip). */
export function latestAttemptsByAppointment(db: Db): Map<number, CallAttempt> {
  const rows = db
    .prepare<[], CallAttemptRow>(
      `SELECT a.* FROM call_attempts a
       JOIN (SELECT appointment_id, MAX(id) AS id FROM call_attempts WHERE ${IS_CALL_SQL} GROUP BY appointment_id) latest ON latest.id = a.id`,
    )
    .all();
  return new Map(rows.map((row) => [row.appointment_id, rowToCallAttempt(row)]));
}

/** The next attempt of a batch still to dial, in batch order; a retry only once its retry_at has come (when `now` is given). */
export function nextPendingAttempt(db: Db, batchId: string, now?: string): CallAttempt | null {
  return nextPendingAttemptExcept(db, batchId, [], now);
}

/** The earliest retry_at among a batch's pending retries (null when none waits). */
export function nextRetryAt(db: Db, batchId: string): string | null {
  return (
    db
      .prepare<[string], { at: string | null }>(`SELECT MIN(retry_at) AS at FROM call_attempts WHERE batch_id = ? AND state = 'pending' AND retry_at IS NOT NULL`)
      .get(batchId)?.at ?? null
  );
}

/** Attempts left in `dialing` by a crash between asking Twilio and storing the CallSid. */
export function dialingAttempts(db: Db, batchId?: string): CallAttempt[] {
  const sql = `SELECT * FROM call_attempts WHERE state = 'dialing' ${batchId ? 'AND batch_id = ?' : ''} ORDER BY id`;
  const stmt = db.prepare<unknown[], CallAttemptRow>(sql);
  return (batchId ? stmt.all(batchId) : stmt.all()).map(rowToCallAttempt);
}

/**
 * Open calls (Twilio knows of them, no final status yet), oldest dial first, optionally only those dialled before a
 * time and only those of practice (`simulated`) or real batches: a practice call lives in the simulator and a real
 * one at Twilio, so each is only ever asked about where it was placed (asking the wrong one would find "no such
 * call" and could send a real attempt back to be redialled). Every variant uses the partial index call_attempts_open.
 */
export function openCallsQuery(dialedBefore?: string, simulated?: boolean): { sql: string; params: (string | number)[] } {
  const where = [`is_final = 0`, `state IN ('dialing', 'placed')`];
  const params: (string | number)[] = [];
  if (dialedBefore) {
    where.push('dial_started_at < ?');
    params.push(dialedBefore);
  }
  if (simulated !== undefined) {
    // Correlated on purpose: `batch_id IN (SELECT …)` makes SQLite walk every batch of that mode (all history)
    // instead of the few open calls in call_attempts_open.
    where.push('(SELECT simulated FROM batches WHERE batches.id = call_attempts.batch_id) = ?');
    params.push(simulated ? 1 : 0);
  }
  return { sql: `SELECT * FROM call_attempts WHERE ${where.join(' AND ')} ORDER BY dial_started_at`, params };
}

export function openCallAttempts(db: Db, dialedBefore?: string, simulated?: boolean): CallAttempt[] {
  const { sql, params } = openCallsQuery(dialedBefore, simulated);
  return db.prepare<unknown[], CallAttemptRow>(sql).all(...params).map(rowToCallAttempt);
}

/**
 * Step 1 of dialing, committed BEFORE calls.create: if we die while Twilio is creating the call,
 * the restart finds this row in `dialing` and asks Twilio's Calls list instead of dialing again.
 */
export function markDialing(
  db: Db,
  id: number,
  call: { statusCallbackUrl: string | null; twimlUrl: string | null; from: string; to: string; now: string },
): void {
  const result = db
    .prepare(
      `UPDATE call_attempts SET state = 'dialing', status_callback_url = ?, twiml_url = ?, from_number = ?, to_number = ?,
         dial_started_at = ?, attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND state = 'pending'`,
    )
    .run(call.statusCallbackUrl, call.twimlUrl, call.from, call.to, call.now, call.now, id);
  // The claim: only one dialer can move an attempt out of `pending`, so only one can ever dial it.
  if (result.changes !== 1) throw new Error(`Call attempt ${id} is not waiting to be dialled (already claimed)`);
}

/** A transient failure of calls.create (429, 5xx, network): the attempt goes back to pending for a retry. */
export function markDialRetry(db: Db, id: number, error: { code: string | null; message: string }, now: string): void {
  db.prepare(`UPDATE call_attempts SET state = 'pending', error_code = ?, error_message = ?, updated_at = ? WHERE id = ? AND state = 'dialing'`).run(
    error.code,
    error.message,
    now,
    id,
  );
}

/** Twilio accepted the call: store its SID, then adopt any callbacks that arrived before we knew it. */
export function markPlaced(db: Db, id: number, callSid: string, now: string): void {
  db.prepare(
    `UPDATE call_attempts SET state = 'placed', call_sid = ?, error_code = NULL, error_message = NULL, updated_at = ? WHERE id = ?`,
  ).run(callSid, now, id);
}

/** Twilio refused the call (invalid number, ...): final, with Twilio's error; never dialled again. */
export function markRejected(db: Db, id: number, error: { code: string | null; message: string }, now: string): void {
  db.prepare(
    `UPDATE call_attempts SET state = 'rejected', status = 'failed', is_final = 1, error_code = ?, error_message = ?, ended_at = ?, updated_at = ? WHERE id = ?`,
  ).run(error.code, error.message, now, now, id);
}

/** Cancelling a batch: what was not dialled yet is skipped. */
export function skipPendingAttempts(db: Db, batchId: string, now: string): number {
  return db
    .prepare(`UPDATE call_attempts SET state = 'skipped', skip_reason = 'batch-cancelled', updated_at = ? WHERE batch_id = ? AND state = 'pending'`)
    .run(now, batchId).changes;
}

export function setAttemptConfirmation(db: Db, id: number, confirmation: Confirmation, now: string): void {
  db.prepare('UPDATE call_attempts SET confirmation = ?, confirmed_at = ?, updated_at = ? WHERE id = ?').run(confirmation, now, now, id);
}

/** Counts one re-prompt after a missing or invalid key (the next miss says goodbye). */
export function countKeypadReprompt(db: Db, id: number, now: string): void {
  db.prepare('UPDATE call_attempts SET keypad_reprompts = keypad_reprompts + 1, updated_at = ? WHERE id = ?').run(now, id);
}

/** A rule said this pending call must not be dialled (do-not-call list, appointment passed): skipped, with the reason. */
/** A pending call a rule stopped right before its dial: the rule (skip_reason) and the staff words (error_message). */
export function markSkipped(db: Db, id: number, skip: { reason: SkipReason; words: string }, now: string): void {
  db.prepare(`UPDATE call_attempts SET state = 'skipped', skip_reason = ?, error_message = ?, updated_at = ? WHERE id = ? AND state = 'pending'`).run(
    skip.reason,
    skip.words,
    now,
    id,
  );
}

/**
 * Queues the next call of a reminder whose last call did not reach the patient: a new pending attempt of the same
 * batch and appointment, not dialled before `retryAt`. INSERT OR IGNORE on UNIQUE(batch, appointment, attempt_number):
 * planning the same retry twice (two sweeps, a restart) adds one row.
 */
export function insertRetryAttempt(db: Db, previous: CallAttempt, retryAt: string, now: string): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO call_attempts (batch_id, appointment_id, position, attempt_number, retry_at, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(previous.batchId, previous.appointmentId, previous.position, previous.attemptNumber + 1, retryAt, now, now).changes === 1
  );
}

/**
 * The last attempt of each appointment in a batch (what the batch's row shows) with how many calls it took (retries
 * included; a skipped or never-dialled attempt is no call), a page at a time in batch order.
 */
/**
 * One page (in dial order, after `afterPosition`) of a batch's last attempt per appointment, with how many calls the
 * reminder took. Each row is looked up through UNIQUE(batch_id, appointment_id, attempt_number), so a page costs
 * its own size: a 100,000-row export reads each row once instead of regrouping the rest of the batch per page.
 */
export function lastAttemptsPage(db: Db, batchId: string, afterPosition = -1, limit = -1): { attempt: CallAttempt; calls: number }[] {
  return db
    .prepare<[string, number, number], CallAttemptRow & { calls: number }>(
      `SELECT a.*,
              (SELECT COUNT(*) FROM call_attempts c
                WHERE c.batch_id = a.batch_id AND c.appointment_id = a.appointment_id AND c.state IN ('dialing', 'placed', 'rejected')) AS calls
       FROM call_attempts a
       WHERE a.batch_id = ? AND a.position > ?
         AND a.attempt_number = (SELECT MAX(m.attempt_number) FROM call_attempts m WHERE m.batch_id = a.batch_id AND m.appointment_id = a.appointment_id)
       ORDER BY a.position LIMIT ?`,
    )
    .all(batchId, afterPosition, limit)
    .map((row) => ({ attempt: rowToCallAttempt(row), calls: row.calls }));
}

export function lastAttemptsOfBatch(db: Db, batchId: string): { attempt: CallAttempt; calls: number }[] {
  return lastAttemptsPage(db, batchId);
}

/**
 * The next pending attempt of a batch in batch order, skipping those still waiting out a transient-failure delay
 * (`excludeIds`) and, when `now` is given, retries whose retry_at has not come yet.
 */
export function nextPendingAttemptExcept(db: Db, batchId: string, excludeIds: readonly number[], now?: string): CallAttempt | null {
  const row = db
    .prepare<{ batchId: string; exclude: string; now: string | null }, CallAttemptRow>(
      `SELECT * FROM call_attempts WHERE batch_id = @batchId AND state = 'pending'
         AND id NOT IN (SELECT value FROM json_each(@exclude))
         AND (@now IS NULL OR retry_at IS NULL OR retry_at <= @now)
       ORDER BY position, attempt_number LIMIT 1`,
    )
    .get({ batchId, exclude: JSON.stringify(excludeIds), now: now ?? null });
  return row ? rowToCallAttempt(row) : null;
}


/** One page of a batch's attempts in dial order, after position `afterPosition` (the export reads a page at a time). */
export function batchAttemptsPage(db: Db, batchId: string, afterPosition: number, limit: number): CallAttempt[] {
  return db
    .prepare<[string, number, number], CallAttemptRow>('SELECT * FROM call_attempts WHERE batch_id = ? AND position > ? ORDER BY position LIMIT ?')
    .all(batchId, afterPosition, limit)
    .map(rowToCallAttempt);
}

/**
 * Other unresolved dials to the same number that started earlier (within the window from `since`): an interrupted
 * dial waits for these, so two dials to one household adopt their calls in dial order.
 */
export function earlierUnresolvedDials(db: Db, attempt: { id: number; toNumber: string; dialStartedAt: string }, since: string): number[] {
  return db
    .prepare<[string, number, string, string, string, number], { id: number }>(
      `SELECT id FROM call_attempts
       WHERE to_number = ? AND id != ? AND state = 'dialing' AND dial_started_at >= ?
         AND (dial_started_at < ? OR (dial_started_at = ? AND id < ?))`,
    )
    .all(attempt.toNumber, attempt.id, since, attempt.dialStartedAt, attempt.dialStartedAt, attempt.id)
    .map((row) => row.id);
}

export function callAttemptRowBySid(db: Db, callSid: string): CallAttemptRow | undefined {
  return cachedStatement<[string], CallAttemptRow>(db, 'SELECT * FROM call_attempts WHERE call_sid = ?').get(callSid);
}

/** The call's state derived from its events (status-events.ts folds each event and writes the result here). */
export type DerivedCallState = Pick<
  CallAttemptRow,
  | 'id'
  | 'status'
  | 'is_final'
  | 'status_source'
  | 'last_sequence_number'
  | 'answered'
  | 'answered_by'
  | 'duration_seconds'
  | 'error_code'
  | 'error_message'
  | 'started_at'
  | 'ended_at'
  | 'updated_at'
>;

export function updateDerivedState(db: Db, next: DerivedCallState): void {
  cachedStatement(
    db,
    `UPDATE call_attempts SET status = @status, is_final = @is_final, status_source = @status_source,
       last_sequence_number = @last_sequence_number, answered = @answered, answered_by = @answered_by,
       duration_seconds = @duration_seconds, error_code = @error_code, error_message = @error_message,
       started_at = @started_at, ended_at = @ended_at, updated_at = @updated_at
     WHERE id = @id`,
  ).run(next);
}
