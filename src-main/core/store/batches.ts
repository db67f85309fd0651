import crypto from 'node:crypto';
import type { Batch, BatchState } from '../domain';
import type { Db } from './database';

interface BatchRow {
  id: string;
  state: BatchState;
  simulated: number;
  created_at: string;
  finished_at: string | null;
  wait_deadline: string | null;
  total: number;
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
  };
}

const SELECT_BATCH = `SELECT b.*, (SELECT COUNT(*) FROM call_attempts a WHERE a.batch_id = b.id) AS total FROM batches b`;

/** Batch ids read like the predecessor's (a timestamp) and stay unique: `20261124-093000-3f9a`. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

/** Creates the batch and one pending call attempt per appointment, in order, in one transaction. */
export function createBatch(db: Db, opts: { appointmentIds: readonly number[]; simulated: boolean; now: Date; id?: string }): Batch {
  const id = opts.id ?? newBatchId(opts.now);
  const at = opts.now.toISOString();
  db.transaction(() => {
    db.prepare('INSERT INTO batches (id, state, simulated, created_at) VALUES (?, ?, ?, ?)').run(id, 'running', opts.simulated ? 1 : 0, at);
    const insert = db.prepare(
      `INSERT OR IGNORE INTO call_attempts (batch_id, appointment_id, position, state, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)`,
    );
    opts.appointmentIds.forEach((appointmentId, position) => insert.run(id, appointmentId, position, at, at));
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

export function listBatches(db: Db, limit = 100): Batch[] {
  return db.prepare<[number], BatchRow>(`${SELECT_BATCH} ORDER BY b.created_at DESC, b.rowid DESC LIMIT ?`).all(limit).map(rowToBatch);
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
