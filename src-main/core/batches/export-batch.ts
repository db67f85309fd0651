import fs from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../api/invoke-operation';
import type { Appointment, Batch, CallAttempt } from '../domain';
import { batchResults, dayResults } from '../results/results';
import { getBatch } from '../store/batches';
import { defaultExportPath, writeExport, type ExportRequest } from './exports';
import { toBatchLogRow, writeBatchLogCsv, writeBatchLogCsvFile, type BatchLogRow } from './batch-log-csv';
import { deleteMeta, getMeta, setMeta } from '../store/app-meta';
import { getAppointments } from '../store/appointments';
import { lastAttemptsPage } from '../store/call-attempts';
import type { Db } from '../store/database';
import { appendToBatchLog } from './legacy-batch-log';

const PAGE_SIZE = 500;

/**
 * A batch's log rows, read a page at a time. Not one open SQLite iterator: the export awaits the output
 * stream between rows, and an iterator left open across awaits would block the callback server's writes
 * on the same connection ("connection is busy").
 */
export function* batchLogRows(db: Db, batch: Batch, timezone: string): Generator<BatchLogRow> {
  for (const { attempt, appointment, calls } of lastEntries(db, batch)) yield toBatchLogRow(batch, attempt, appointment, timezone, calls);
}

/** Where a batch's CSV goes when the host does not choose: `<dataDir>/exports/reminder-log-<batch>.csv` (exports.ts names it). */
export function defaultExportFile(dataDir: string, batchId: string): string {
  return defaultExportPath(dataDir, { kind: 'batch-log', batchId, format: 'csv' });
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

/**
 * logging.batch_log_file: appends a finished batch's rows to the predecessor-style running log, once per batch
 * (remembered in app_meta, so a batch that finishes again after a resume is not appended twice).
 */
export async function appendFinishedBatchToLog(db: Db, batch: Batch, timezone: string, file: string): Promise<number> {
  const key = `batch_log_appended:${batch.id}`;
  if (getMeta(db, key) !== null) return 0;
  setMeta(db, key, new Date().toISOString()); // claimed first: two finish events never append twice
  try {
    return (await appendToBatchLog(file, [...batchLogRows(db, batch, timezone)])).rows;
  } catch (error) {
    deleteMeta(db, key); // not written: the next finish (or a retry) may try again
    throw error;
  }
}

/** One entry per appointment of a batch: its last call (a retry's, if any), with how many calls it took. */
function* lastEntries(db: Db, batch: Batch): Generator<{ attempt: CallAttempt; appointment: Appointment; calls: number }> {
  let after = -1;
  for (;;) {
    const page = lastAttemptsPage(db, batch.id, after, PAGE_SIZE);
    if (page.length === 0) return;
    const appointments = new Map(getAppointments(db, page.map((p) => p.attempt.appointmentId)).map((a) => [a.id, a]));
    for (const { attempt, calls } of page) {
      const appointment = appointments.get(attempt.appointmentId);
      if (appointment) yield { attempt, appointment, calls };
    }
    after = page[page.length - 1]!.attempt.position;
  }
}

/**
 * The one export path (issue 8): a batch log or a follow-up list, CSV or Excel, of the given mode's data, to a file
 * or a stream. The batch log's CSV is exportBatchLog's; its Excel twin has the same rows, typed.
 */
export async function writeExportFor(
  db: Db,
  request: ExportRequest,
  opts: { timezone: string; practice: boolean },
  target: string | NodeJS.WritableStream,
): Promise<{ rows: number; savedTo: string | null }> {
  const batchId = request.batchId;
  const batch = batchId ? getBatch(db, batchId) : null;
  if (batchId && (!batch || batch.simulated !== opts.practice)) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
  if (request.kind === 'batch-log') {
    if (request.format === 'csv') return exportBatchLog(db, batch!, opts.timezone, target);
    return writeExport(request, { db, timezone: opts.timezone, batch: batch!, entries: lastEntries(db, batch!) }, target);
  }
  const results = batch ? batchResults(db, batch) : dayResults(db, request.day ?? '', opts);
  return writeExport(request, { db, timezone: opts.timezone, followUp: results.followUp }, target);
}
