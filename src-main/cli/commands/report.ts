import path from 'node:path';
import type { Engine } from '../../core/engine';
import { defaultExportFile } from '../../core/batches/export-batch';
import { batchProgress } from '../../core/batches/batch-progress';
import type { Batch } from '../../core/domain';
import { latestBatch } from '../../core/store/batches';
import { listBatchAttempts } from '../../core/store/call-attempts';
import { APP_VERSION } from '../../core/app-version';
import { CliFailure } from '../cli-errors';
import { formatConnection, formatOpenCall, formatProgress } from '../format';
import { withEngine, type GlobalOptions } from '../open-engine';

function findBatch(engine: Engine, id: string | undefined): Batch | null {
  if (!id || id === 'latest') return latestBatch(engine.db);
  const batch = engine.batches.get(id);
  if (!batch) throw new CliFailure(`there is no batch ${id} (reminder-desk status lists the latest)`);
  return batch;
}

/** `export --batch ID|latest --out FILE`: the batch log CSV. */
export async function exportCommand(opts: { batch?: string; out?: string; json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    const batch = findBatch(engine, opts.batch);
    if (!batch) throw new CliFailure('there is no batch to export yet');
    const out = opts.out ? path.resolve(opts.out) : defaultExportFile(engine.dataDir, batch.id);
    const result = await engine.batches.exportLog(batch.id, out);
    if (opts.json) process.stdout.write(`${JSON.stringify({ batchId: batch.id, rows: result.rows, savedTo: result.savedTo })}\n`);
    else process.stdout.write(`Batch ${batch.id}: ${result.rows} row(s) written to ${result.savedTo}\n`);
    return 0;
  });
}

/** `status [--batch ID]`: where the data lives, how callbacks arrive, and a batch's counts and open calls. */
export async function statusCommand(opts: { batch?: string; json?: boolean }, globals: GlobalOptions): Promise<number> {
  return withEngine(globals, {}, async (engine) => {
    const batch = findBatch(engine, opts.batch);
    const connection = engine.connection.status();
    const progress = batch ? batchProgress(engine.db, batch, engine.settings.calling.calls_per_second) : null;
    const open = batch ? listBatchAttempts(engine.db, batch.id).filter((a) => !a.isFinal && a.state !== 'skipped' && a.state !== 'pending') : [];
    if (opts.json) {
      const openCalls = open.map((a) => ({ attemptId: a.id, appointmentId: a.appointmentId, callSid: a.callSid, status: a.status ?? a.state }));
      const report = { version: APP_VERSION, dataDir: engine.dataDir, settingsFile: engine.settingsFile, practiceMode: engine.practice, connection, batch: progress, openCalls };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `Reminder Desk ${APP_VERSION}${engine.practice ? ' — SIMULATED practice mode' : ''}`,
      `Data: ${engine.dataDir}`,
      `Settings: ${engine.settingsFile}`,
      `Callbacks (when serving): ${formatConnection(connection)}`,
      progress ? formatProgress(progress) : 'No batch has run yet.',
    ];
    const names = batch ? new Map(engine.batches.appointmentsOf(batch.id).map((a) => [a.id, a.name])) : new Map<number, string>();
    for (const attempt of open) lines.push(formatOpenCall(attempt, names.get(attempt.appointmentId) ?? null));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  });
}
