import fs from 'node:fs';
import path from 'node:path';
import type { Batch, CallAttempt } from '../domain';
import { toBatchLogRow, writeBatchLogCsv, writeBatchLogCsvFile, type BatchLogRow } from './batch-log-csv';
import { getAppointments } from '../store/appointments';
import { batchAttemptsPage } from '../store/call-attempts';
import type { Db } from '../store/database';

const PAGE_SIZE = 500;

/**
 * A batch's log rows, read a page at a time. Not one open SQLite iterator: the export awaits the output
 * stream between rows, and an iterator left open across awaits would block the callback server's writes
 * on the same connection ("connection is busy").
 */
export function* batchLogRows(db: Db, batch: Batch, timezone: string): Generator<BatchLogRow> {
  let after = -1;
  for (;;) {
    const attempts: CallAttempt[] = batchAttemptsPage(db, batch.id, after, PAGE_SIZE);
    if (attempts.length === 0) return;
    const appointments = new Map(getAppointments(db, attempts.map((a) => a.appointmentId)).map((a) => [a.id, a]));
    for (const attempt of attempts) {
      const appointment = appointments.get(attempt.appointmentId);
      if (appointment) yield toBatchLogRow(batch, attempt, appointment, timezone);
    }
    after = attempts[attempts.length - 1]!.position;
  }
}

/** Where an export goes when the host does not choose: `<dataDir>/exports/reminder-log-<batch>.csv`. */
export function defaultExportFile(dataDir: string, batchId: string): string {
  return path.join(dataDir, 'exports', `reminder-log-${batchId}.csv`);
}

export async function exportBatchLog(
  db: Db,
  batch: Batch,
  timezone: string,
  target: string | NodeJS.WritableStream,
): Promise<{ rows: number; savedTo: string | null }> {
  const rows = batchLogRows(db, batch, timezone);
  if (typeof target !== 'string') return { ...(await writeBatchLogCsv(rows, target)), savedTo: null };
  const file = path.resolve(target);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return { ...(await writeBatchLogCsvFile(rows, file)), savedTo: file };
}
