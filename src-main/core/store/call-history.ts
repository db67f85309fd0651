import type { AttemptState, CallAttempt, CallStatus, Confirmation, SkipReason } from '../domain';
import { IS_CALL_SQL, rowToCallAttempt, type CallAttemptRow } from './call-attempts';
import type { Db } from './database';

// Reads of call_attempts for issue 8: a patient's call history (the eligibility rules) and a batch's attempts
// grouped by what decides their outcome (progress and results).

/** Every call of each given appointment, newest first (rule skips left out): the eligibility rules' history. */
export function callsOfAppointments(db: Db, appointmentIds: readonly number[]): Map<number, CallAttempt[]> {
  const out = new Map<number, CallAttempt[]>();
  if (appointmentIds.length === 0) return out;
  const rows = db
    .prepare<[string], CallAttemptRow>(
      `SELECT * FROM call_attempts WHERE appointment_id IN (SELECT value FROM json_each(?)) AND ${IS_CALL_SQL} ORDER BY created_at DESC, id DESC`,
    )
    .all(JSON.stringify(appointmentIds));
  for (const row of rows) {
    const list = out.get(row.appointment_id) ?? [];
    list.push(rowToCallAttempt(row));
    out.set(row.appointment_id, list);
  }
  return out;
}

/** A batch's attempts grouped by the facts that decide their outcome: a few rows however large the batch. */
export interface AttemptGroup {
  state: AttemptState;
  status: CallStatus | null;
  isFinal: boolean;
  answered: boolean;
  answeredBy: string | null;
  confirmation: Confirmation | null;
  skipReason: SkipReason | null;
  n: number;
}

export type BatchCounts = Record<CallStatus | 'pending' | 'dialing' | 'skipped' | 'rejected', number>;

/**
 * Counts per status for a batch's progress bar: our own state (pending, dialing, skipped, rejected) until Twilio
 * reports a status. `final` counts skipped calls too: nothing more will happen to them.
 */
export function countsOfGroups(groups: readonly AttemptGroup[]): { counts: Partial<BatchCounts>; total: number; final: number } {
  const counts: Partial<BatchCounts> = {};
  let total = 0;
  let final = 0;
  for (const g of groups) {
    const ownState = g.state === 'pending' || g.state === 'skipped' || g.state === 'rejected' || g.status === null;
    const bucket = (ownState ? g.state : g.status) as keyof BatchCounts;
    counts[bucket] = (counts[bucket] ?? 0) + g.n;
    total += g.n;
    if (g.isFinal || g.state === 'skipped') final += g.n;
  }
  return { counts, total, final };
}

export function batchCounts(db: Db, batchId: string): { counts: Partial<BatchCounts>; total: number; final: number } {
  return countsOfGroups(batchAttemptGroups(db, batchId));
}

export function batchAttemptGroups(db: Db, batchId: string): AttemptGroup[] {
  return db
    .prepare<
      [string],
      { state: AttemptState; status: CallStatus | null; is_final: number; answered: number; answered_by: string | null; confirmation: Confirmation | null; skip_reason: SkipReason | null; n: number }
    >(
      `SELECT state, status, is_final, answered, answered_by, confirmation, skip_reason, COUNT(*) AS n FROM call_attempts
       WHERE batch_id = ? GROUP BY state, status, is_final, answered, answered_by, confirmation, skip_reason`,
    )
    .all(batchId)
    .map((r) => ({
      state: r.state,
      status: r.status,
      isFinal: r.is_final === 1,
      answered: r.answered === 1,
      answeredBy: r.answered_by,
      confirmation: r.confirmation,
      skipReason: r.skip_reason,
      n: r.n,
    }));
}
