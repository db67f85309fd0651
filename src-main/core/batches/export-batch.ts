import { ApiFailure } from '../api/invoke-operation';
import type { Batch } from '../domain';
import { toBatchLogRow, type BatchLogRow } from './batch-log-csv';
import { batchEntries, defaultExportPath, writeExport, type ExportRequest } from './exports';
import { batchResults, dayResults } from '../results/results';
import { getBatch } from '../store/batches';
import type { Db } from '../store/database';

// The engine's side of the one export path (export/exports.ts): finds what a request exports, in the current mode.

/** A batch's log rows, read a page at a time (see batchEntries). */
export function* batchLogRows(db: Db, batch: Batch, timezone: string): Generator<BatchLogRow> {
  for (const { attempt, appointment } of batchEntries(db, batch.id)) yield toBatchLogRow(batch, attempt, appointment, timezone);
}

/** Where a batch's CSV goes when the host does not choose: `<dataDir>/exports/reminder-log-<batch>.csv`. */
export function defaultExportFile(dataDir: string, batchId: string): string {
  return defaultExportPath(dataDir, { kind: 'batch-log', batchId, format: 'csv' });
}

export async function exportBatchLog(
  db: Db,
  batch: Batch,
  timezone: string,
  target: string | NodeJS.WritableStream,
): Promise<{ rows: number; savedTo: string | null }> {
  return writeExport({ kind: 'batch-log', batchId: batch.id, format: 'csv' }, { db, timezone, batch }, target);
}

/** Any export (batch log or follow-up list, CSV or Excel) of the given mode's data. Throws when the batch is unknown. */
export async function writeExportFor(
  db: Db,
  request: ExportRequest,
  opts: { timezone: string; practice: boolean },
  target: string | NodeJS.WritableStream,
): Promise<{ rows: number; savedTo: string | null }> {
  const batchId = request.batchId;
  const batch = batchId ? getBatch(db, batchId) : null;
  if (batchId && (!batch || batch.simulated !== opts.practice)) throw new ApiFailure('not-found', `There is no batch ${batchId}.`);
  if (request.kind === 'batch-log') return writeExport(request, { db, timezone: opts.timezone, batch: batch! }, target);
  const results = batch ? batchResults(db, batch) : dayResults(db, request.day ?? '', opts);
  return writeExport(request, { db, timezone: opts.timezone, followUp: results.followUp }, target);
}
