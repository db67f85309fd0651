// `npm run bench`: the speed and memory targets of the product, each measured as a ratio against a baseline run
// on the same machine in the same process, so the numbers mean something on any box (and no unit test is timed).
//
//   import      parse + validate + normalise 10,000 appointment rows   vs  csv-parse alone on the same file
//   events      recordStatusEvent (dedupe, ordering, derived state,    vs  a bare INSERT per event with the same
//               one FULL-sync transaction per event)                       pragmas and one transaction per event
//   export      the batch-log CSV writer, 200,000 rows, streaming      vs  csv-stringify piped to the same file
//   board       the board's list (latest call per appointment + views)  vs  SELECT * of the same rows
//   callbacks   signed POST /status over HTTP, validated and committed vs  a node:http server answering 204
//
// Targets (checked at the end; exit 1 when one is missed) are ratios, generous enough for a noisy 2-core box.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { readAppointmentsFile } from '../src-main/core/appointments/read-appointments';
import { BATCH_LOG_COLUMNS, type BatchLogRow, writeBatchLogCsvFile } from '../src-main/core/batches/batch-log-csv';
import { openDatabase } from '../src-main/core/store/database';
import { listAppointments, upsertAppointments } from '../src-main/core/store/appointments';
import { createBatch } from '../src-main/core/store/batches';
import { recordCallPlaced, recordStatusEvent } from '../src-main/core/store/status-events';
import { latestAttemptsByAppointment, listBatchAttempts, markDialing } from '../src-main/core/store/call-attempts';
import { toAppointmentView } from '../src-main/core/appointments/appointment-views';
import { benchCallbackServer } from './callbacks';

interface Result {
  name: string;
  subject: number;
  baseline: number;
  unit: string;
  /** subject / baseline must stay at or under this. */
  maxRatio: number;
  note?: string;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-bench-'));
const results: Result[] = [];

async function time(fn: () => Promise<unknown> | unknown, repeat = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeat; i += 1) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function sampleCsv(rows: number): string {
  const lines = ['id,name,phone_number,appointment_date,email,location'];
  for (let i = 0; i < rows; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`${i},Patient ${i},(415) 555-${String(i % 10000).padStart(4, '0')},2026-12-${day} ${String(8 + (i % 9)).padStart(2, '0')}:30,p${i}@example.org,"Main St, Suite ${i % 7}"`);
  }
  return `${lines.join('\n')}\n`;
}

async function benchImport(): Promise<void> {
  const file = path.join(work, 'appointments.csv');
  fs.writeFileSync(file, sampleCsv(10_000));
  const opts = { requiredColumns: ['name', 'phone_number', 'appointment_date'], dateFormat: '%Y-%m-%d %H:%M', fallbackDateFormat: '%m/%d/%Y %H:%M', timezone: 'America/New_York', defaultRegion: 'US' };
  let imported = 0;
  const subject = await time(async () => {
    imported = (await readAppointmentsFile(file, opts)).rows.length;
  });
  const baseline = await time(async () => {
    let n = 0;
    await pipeline(fs.createReadStream(file), parse({ columns: true }), async (source: AsyncIterable<unknown>) => {
      for await (const _ of source) n += 1;
    });
    return n;
  });
  results.push({ name: 'import 10,000 rows', subject, baseline, unit: 'ms', maxRatio: 25, note: `${imported} rows valid` });
}

async function benchEvents(): Promise<void> {
  const events = 2_000;
  const runs = 3;
  const perRun = events / 4;
  const sid = (id: number) => `CA${String(id).padStart(32, '0')}`;
  const db = openDatabase(path.join(work, 'events.sqlite'));
  const now = new Date().toISOString();
  const { ids } = upsertAppointments(
    db,
    Array.from({ length: perRun * runs }, (_, i) => ({ dedupeKey: `k${i}`, externalId: null, name: `P${i}`, phoneNumber: `+1415555${String(i).padStart(4, '0')}`, email: null, appointmentAt: '2026-12-01T09:00:00-05:00', location: null })),
    null,
    now,
  );
  const batch = createBatch(db, { appointmentIds: ids, simulated: true, now: new Date() });
  const attempts = listBatchAttempts(db, batch.id);
  for (const a of attempts) {
    markDialing(db, a.id, { statusCallbackUrl: 'https://x.test/status', twimlUrl: null, from: '+15005550006', to: '+14155550100', now });
    recordCallPlaced(db, a.id, sid(a.id), now);
  }
  const statuses = ['initiated', 'ringing', 'in-progress', 'completed'] as const;
  // Each run records events for calls of its own, so no run is a cheap duplicate of the one before.
  let run = 0;
  const subject = await time(() => {
    for (const a of attempts.slice(run * perRun, (run + 1) * perRun)) {
      statuses.forEach((callStatus, seq) =>
        recordStatusEvent(db, { callSid: sid(a.id), source: 'callback', sequenceNumber: seq, callStatus, params: { CallStatus: callStatus }, receivedAt: now }),
      );
    }
    run += 1;
  }, runs);
  const raw = openDatabase(path.join(work, 'raw.sqlite'));
  raw.exec('CREATE TABLE raw_events (id INTEGER PRIMARY KEY, call_sid TEXT, seq INTEGER, status TEXT, params TEXT) STRICT');
  const insert = raw.prepare('INSERT INTO raw_events (call_sid, seq, status, params) VALUES (?, ?, ?, ?)');
  const baseline = await time(() => {
    for (const a of attempts.slice(0, perRun)) statuses.forEach((s, seq) => raw.transaction(() => insert.run(sid(a.id), seq, s, '{}'))());
  }, runs);
  results.push({ name: `record ${events} status events`, subject, baseline, unit: 'ms', maxRatio: 4 });
  db.close();
  raw.close();
}

function* logRows(count: number): Generator<BatchLogRow> {
  for (let i = 0; i < count; i += 1) {
    yield {
      batch_id: '20261124-090000-abcd', timestamp: '2026-11-24T09:00:00-05:00', name: `Patient ${i}`, phone_number: '+14155550100',
      appointment_date: '2026-11-25 09:30', location: 'Main St, Suite 2', call_answered: 'Yes', call_status: 'completed', call_duration_seconds: 42,
      call_duration_formatted: '0:00:42', call_id: `CA${String(i).padStart(32, '0')}`, error_message: null, answered_by: 'human', confirmation: 'confirmed',
      attempts: 1, status_source: 'callback', started_at: '2026-11-24T14:00:05Z', ended_at: '2026-11-24T14:00:47Z',
    };
  }
}

async function benchExport(): Promise<void> {
  const count = 200_000;
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const subject = await time(() => writeBatchLogCsvFile(logRows(count), path.join(work, 'log.csv')));
  clearInterval(sampler);
  const baseline = await time(() => pipeline(Readable.from(logRows(count)), stringify({ header: true, columns: [...BATCH_LOG_COLUMNS] }), fs.createWriteStream(path.join(work, 'raw.csv'))));
  const fileMb = fs.statSync(path.join(work, 'log.csv')).size / 1024 / 1024;
  const heapMb = (heapPeak - heapBefore) / 1024 / 1024;
  results.push({ name: `export ${count} rows`, subject, baseline, unit: 'ms', maxRatio: 3, note: `file ${fileMb.toFixed(1)} MB, heap growth ${heapMb.toFixed(1)} MB` });
  results.push({ name: 'export heap growth vs file size', subject: Math.max(heapMb, 0), baseline: fileMb, unit: 'MB', maxRatio: 0.5, note: 'streaming: memory must not grow with the file' });
}

async function benchBoard(): Promise<void> {
  const db = openDatabase(path.join(work, 'board.sqlite'));
  const now = new Date().toISOString();
  const { ids } = upsertAppointments(
    db,
    Array.from({ length: 10_000 }, (_, i) => ({ dedupeKey: `b${i}`, externalId: null, name: `Patient ${i}`, phoneNumber: `+1415555${String(i % 10000).padStart(4, '0')}`, email: null, appointmentAt: `2026-12-${String((i % 28) + 1).padStart(2, '0')}T09:00:00-05:00`, location: null })),
    null,
    now,
  );
  createBatch(db, { appointmentIds: ids, simulated: true, now: new Date() });
  // What the board's `appointments/list` does: appointments, each with its latest call, as views.
  const subject = await time(() => {
    const latest = latestAttemptsByAppointment(db);
    return listAppointments(db).map((a) => toAppointmentView(a, latest.get(a.id)));
  });
  const baseline = await time(() => db.prepare('SELECT * FROM appointments').all());
  results.push({ name: 'board list 10,000 appointments', subject, baseline, unit: 'ms', maxRatio: 6 });
  db.close();
}

async function main(): Promise<void> {
  await benchImport();
  await benchEvents();
  await benchExport();
  await benchBoard();
  results.push(...(await benchCallbackServer(work)));

  let failed = 0;
  console.log('\nbenchmark                                  subject      baseline     ratio   target');
  for (const r of results) {
    const ratio = r.baseline > 0 ? r.subject / r.baseline : Infinity;
    const ok = ratio <= r.maxRatio;
    if (!ok) failed += 1;
    console.log(
      `${r.name.padEnd(42)} ${`${r.subject.toFixed(1)} ${r.unit}`.padStart(11)}  ${`${r.baseline.toFixed(1)} ${r.unit}`.padStart(11)}  ${`${ratio.toFixed(2)}x`.padStart(7)}  ≤ ${r.maxRatio}x ${ok ? 'ok' : 'MISSED'}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  fs.rmSync(work, { recursive: true, force: true });
  if (failed) {
    console.error(`\n${failed} benchmark target(s) missed`);
    process.exitCode = 1;
  }
}

void main();
