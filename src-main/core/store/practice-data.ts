import type { Db } from './database';

// Practice (simulator) data: appointments imported in practice mode and the batches / calls made in it.
// Leaving practice mode keeps it apart (every query filters on the mode) or deletes it, as staff choose.

export interface PracticeDataCounts {
  appointments: number;
  batches: number;
  calls: number;
}

export function countPracticeData(db: Db): PracticeDataCounts {
  const one = (sql: string): number => db.prepare<[], { n: number }>(sql).get()!.n;
  return {
    appointments: one('SELECT COUNT(*) AS n FROM appointments WHERE practice = 1 AND test_call = 0'),
    batches: one('SELECT COUNT(*) AS n FROM batches WHERE simulated = 1 AND test_call = 0'),
    calls: one(`SELECT COUNT(*) AS n FROM call_attempts a JOIN batches b ON b.id = a.batch_id WHERE b.simulated = 1 AND a.state <> 'skipped'`),
  };
}

/** Deletes every practice appointment, batch, call and status event (test calls made in practice mode too), in one transaction. */
export function deletePracticeData(db: Db): PracticeDataCounts {
  const counts = countPracticeData(db);
  db.transaction(() => {
    const practiceAttempts = `SELECT a.id FROM call_attempts a JOIN batches b ON b.id = a.batch_id WHERE b.simulated = 1
      UNION SELECT a.id FROM call_attempts a JOIN appointments ap ON ap.id = a.appointment_id WHERE ap.practice = 1`;
    db.prepare(`DELETE FROM status_events WHERE attempt_id IN (${practiceAttempts})`).run();
    db.prepare(`DELETE FROM call_attempts WHERE id IN (${practiceAttempts})`).run();
    db.prepare('DELETE FROM batches WHERE simulated = 1 AND NOT EXISTS (SELECT 1 FROM call_attempts a WHERE a.batch_id = batches.id)').run();
    db.prepare('DELETE FROM appointments WHERE practice = 1 AND NOT EXISTS (SELECT 1 FROM call_attempts a WHERE a.appointment_id = appointments.id)').run();
  })();
  return counts;
}
