import fs from 'node:fs';
import path from 'node:path';
import { createBatch } from '../src-main/core/store/batches';
import { upsertAppointments } from '../src-main/core/store/appointments';
import { closeDatabase, databaseFile, openDatabase } from '../src-main/core/store/database';
import { runCommand } from './lib/run-command';

// Export of a 100,000-row batch through the real command (`reminder-desk export --batch ID --out FILE`), in its
// own process so its peak RSS is its own: wall time (start-up included) and peak resident memory.

const REPO = path.resolve(import.meta.dirname, '..');

export interface ExportResult {
  rows: number;
  ms: number;
  maxRssMb: number;
  fileMb: number;
}

export async function benchExport(work: string, rows = 100_000): Promise<ExportResult> {
  const dir = path.join(work, 'export');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const config = path.join(dir, 'settings.yaml');
  fs.writeFileSync(config, 'scheduling:\n  timezone: America/New_York\n');
  const db = openDatabase(databaseFile(dataDir));
  let batchId = '';
  db.transaction(() => {
    const now = new Date().toISOString();
    const { ids } = upsertAppointments(
      db,
      Array.from({ length: rows }, (_, i) => ({
        dedupeKey: `e${i}`,
        externalId: String(i),
        name: `Patient ${i}`,
        phoneNumber: `+1415${String(5_000_000 + i).padStart(7, '0')}`,
        email: `p${i}@example.org`,
        appointmentAt: new Date(Date.parse('2030-01-15T14:00:00Z') + i * 60_000).toISOString(),
        location: 'Main St, Suite 2',
      })),
      null,
      now,
    );
    batchId = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date() }).id;
    // Test data only: every call placed and completed, as after a finished batch (one statement, not 100,000 commits).
    db.prepare(
      `UPDATE call_attempts SET state = 'placed', call_sid = printf('CA%032x', id), status = 'completed', is_final = 1,
         status_source = 'callback', answered = 1, answered_by = 'human', duration_seconds = 42, attempts = 1,
         dial_started_at = ?, started_at = ?, ended_at = ?, to_number = '+14155550100', from_number = '+15005550006'
       WHERE batch_id = ?`,
    ).run(now, now, now, batchId);
  })();
  closeDatabase(db);
  const out = path.join(dir, 'log.csv');
  const run = await runCommand(process.execPath, [
    '--import',
    path.join(REPO, 'bench/lib/report-rss.mjs'),
    path.join(REPO, 'bin/reminder-desk.mjs'),
    'export',
    '--batch',
    batchId,
    '--out',
    out,
    '--config',
    config,
    '--data-dir',
    dataDir,
  ]);
  if (run.code !== 0) throw new Error(`reminder-desk export failed (${run.code}): ${run.stderr}`);
  const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length - 1;
  if (lines !== rows) throw new Error(`export wrote ${lines} rows, expected ${rows}`);
  return { rows, ms: run.ms, maxRssMb: run.maxRssMb ?? NaN, fileMb: fs.statSync(out).size / 1024 ** 2 };
}
