import crypto from 'node:crypto';
import type { Batch, BatchState, SkipReason } from '../domain';
import type { Db } from './database';

interface BatchRow {
  id: string;
  state: BatchState;
  simulated: number;
  created_at: string;
  finished_at: string | null;
  wait_deadline: string | null;
  total: number;
  test_call: number;
}

function rowToBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    state: row.state,
    simulated: row.simulated === 1,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    waitDeadline: row.wait_deadline,
    total: row.total,
    testCall: row.test_call === 1,
  };
}

const SELECT_BATCH = `SELECT b.*, (SELECT COUNT(*) FROM call_attempts a WHERE a.batch_id = b.id) AS total FROM batches b`;

/** Batch ids read like the predecessor's (a timestamp) and stay unique: `20261124-093000-3f9a`. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

export interface CreateBatchOptions {
  appointmentIds: readonly number[];
  simulated: boolean;
  now: Date;
  id?: string;
  /** Patients the eligibility rules left out: kept in the batch as `skipped` with the reason (exports show why). */
  skipped?: readonly { appointmentId: number; reason: SkipReason }[];
  testCall?: boolean;
}

/** Creates the batch and one pending call attempt per appointment, in order, in one transaction. */
export function createBatch(db: Db, opts: CreateBatchOptions): Batch {
  const id = opts.id ?? newBatchId(opts.now);
  const at = opts.now.toISOString();
  db.transaction(() => {
    db.prepare('INSERT INTO batches (id, state, simulated, created_at, test_call) VALUES (?, ?, ?, ?, ?)').run(
      id,
      'running',
      opts.simulated ? 1 : 0,
      at,
      opts.testCall ? 1 : 0,
    );
    const insert = db.prepare(
      `INSERT OR IGNORE INTO call_attempts (batch_id, appointment_id, position, state, skip_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    opts.appointmentIds.forEach((appointmentId, position) => insert.run(id, appointmentId, position, 'pending', null, at, at));
    const offset = opts.appointmentIds.length;
    (opts.skipped ?? []).forEach(({ appointmentId, reason }, i) => insert.run(id, appointmentId, offset + i, 'skipped', reason, at, at));
    storeAppointmentDays(db, id);
  })();
  return getBatch(db, id)!;
}

export function getBatch(db: Db, id: string): Batch | null {
  const row = db.prepare<[string], BatchRow>(`${SELECT_BATCH} WHERE b.id = ?`).get(id);
  return row ? rowToBatch(row) : null;
}

export function latestBatch(db: Db): Batch | null {
  const row = db.prepare<[], BatchRow>(`${SELECT_BATCH} ORDER BY b.created_at DESC, b.rowid DESC LIMIT 1`).get();
  return row ? rowToBatch(row) : null;
}

/** Patients' batches of one mode (practice = simulated), newest first; the wizard's test calls are left out. */
export function listBatches(db: Db, scope: { practice: boolean }, limit = 100): Batch[] {
  return db
    .prepare<[number, number], BatchRow>(`${SELECT_BATCH} WHERE b.simulated = ? AND b.test_call = 0 ORDER BY b.created_at DESC, b.rowid DESC LIMIT ?`)
    .all(scope.practice ? 1 : 0, limit)
    .map(rowToBatch);
}

/** Computes and keeps the clinic days (YYYY-MM-DD, from the stored clinic-time ISO) of a batch's appointments. */
function storeAppointmentDays(db: Db, batchId: string): string[] {
  const days = db
    .prepare<[string], { day: string }>(
      `SELECT DISTINCT substr(ap.appointment_at, 1, 10) AS day FROM call_attempts a JOIN appointments ap ON ap.id = a.appointment_id
       WHERE a.batch_id = ? ORDER BY day`,
    )
    .all(batchId)
    .map((r) => r.day);
  db.prepare('UPDATE batches SET appointment_days = ? WHERE id = ?').run(JSON.stringify(days), batchId);
  return days;
}

/** The clinic days of a batch's appointments, in order (kept at creation; computed once for older batches). */
export function batchAppointmentDays(db: Db, batchId: string): string[] {
  const row = db.prepare<[string], { appointment_days: string | null }>('SELECT appointment_days FROM batches WHERE id = ?').get(batchId);
  if (!row) return [];
  return row.appointment_days === null ? storeAppointmentDays(db, batchId) : (JSON.parse(row.appointment_days) as string[]);
}

/** Batches the engine must pick up again after a restart (paused ones wait for staff). */
export function unfinishedBatches(db: Db): Batch[] {
  return db.prepare<[], BatchRow>(`${SELECT_BATCH} WHERE b.state = 'running' ORDER BY b.created_at`).all().map(rowToBatch);
}

export function setBatchState(db: Db, id: string, state: BatchState, now: string): void {
  const finished = state === 'completed' || state === 'cancelled' || state === 'timed_out';
  db.prepare('UPDATE batches SET state = ?, finished_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?').run(state, finished ? 1 : 0, now, id);
}

export function setBatchWaitDeadline(db: Db, id: string, deadline: string | null): void {
  db.prepare('UPDATE batches SET wait_deadline = ? WHERE id = ?').run(deadline, id);
}

/**
 * Patients' batches of one mode still at work: calling or paused, or finished / cancelled with calls still live
 * (those stay in progress until they end). Oldest first.
 */
export function activeBatches(db: Db, scope: { practice: boolean }): Batch[] {
  return db
    .prepare<[number], BatchRow>(
      `${SELECT_BATCH} WHERE b.simulated = ? AND b.test_call = 0 AND (b.state IN ('running', 'paused')
         OR EXISTS (SELECT 1 FROM call_attempts a WHERE a.batch_id = b.id AND a.is_final = 0 AND a.state IN ('dialing', 'placed')))
       ORDER BY b.created_at, b.rowid`,
    )
    .all(scope.practice ? 1 : 0)
    .map(rowToBatch);
}
