import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchProgress, ResultsView, TimelineView } from '../../../src-main/core/api/contract';
import { invokeOperation } from '../../../src-main/core/api/invoke-operation';
import type { Engine } from '../../../src-main/core/engine';
import { EngineHarness, SAMPLE_CSV } from './engine-fixtures';

// Issue 8: results staff can act on (per batch and per day, a needs-follow-up list with full numbers) and the
// exports (CSV and Excel, of a batch and of the follow-up list), opened the way a clinic would open them.

const harness = new EngineHarness();
afterEach(() => harness.cleanup());

async function ok<T>(engine: Engine, operation: Parameters<typeof invokeOperation>[1], args: unknown): Promise<T> {
  const reply = await invokeOperation(engine.handlers(), operation, args);
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.value as T;
}

async function calledSample(): Promise<{ engine: Engine; batchId: string }> {
  const engine = await harness.practice();
  await ok(engine, 'appointments/import', { fileName: 'sample.csv', contentBase64: fs.readFileSync(SAMPLE_CSV).toString('base64') });
  const ids = (await ok<{ id: number }[]>(engine, 'appointments/list', {})).map((a) => a.id);
  const progress = await ok<BatchProgress>(engine, 'batches/start', { appointmentIds: ids });
  expect((await engine.batches.run(progress.batch.id, { waitSeconds: 60 })).state).toBe('completed');
  return { engine, batchId: progress.batch.id };
}

describe('results staff can act on', () => {
  it('counts per batch and per day, a follow-up list with full numbers, batches named by their days', async () => {
    const { engine, batchId } = await calledSample();
    const progress = await ok<BatchProgress>(engine, 'batches/progress', { batchId });
    expect(progress.batch.label).toBe('Nov 25 – Nov 26');
    expect(progress.phase).toBe('done');
    expect(progress.outcomes).toEqual({ confirmed: 1, cancelled: 1, reached: 1, voicemail: 1, notReached: 4, notReachedBy: { busy: 1, noAnswer: 1, failed: 1, notPlaced: 1 } });

    const batch = await ok<ResultsView>(engine, 'results/get', { batchId });
    expect(batch.outcomes).toEqual(progress.outcomes);
    expect(batch.followUp.map((r) => [r.name, r.phoneNumber, r.outcome, r.notReachedBy])).toEqual([
      ["James O'Connor", '+16175550101', 'cancelled', null],
      ['Aisha Bello', '+12065550104', 'not-reached', 'busy'],
      ['Kenji Watanabe', '+13035550105', 'not-reached', 'no-answer'],
      ['Sofia Rossi', '+15125550106', 'not-reached', 'failed'],
      ['Daniel Okafor', '+14045550107', 'not-reached', 'not-placed'],
    ]);

    const day = await ok<ResultsView>(engine, 'results/get', { day: '2026-11-25' });
    expect(day).toMatchObject({ label: 'Wed, Nov 25', inProgress: 0, notCalled: 0, outcomes: { confirmed: 1, cancelled: 1, reached: 1, voicemail: 1, notReached: 1 } });
    expect(day.followUp.map((r) => r.name)).toEqual(["James O'Connor", 'Aisha Bello']);
    expect(day.batches.map((b) => b.id)).toEqual([batchId]);

    // The patient's detail has the full number; the newest call is labelled.
    const board = await ok<{ id: number; name: string }[]>(engine, 'appointments/list', {});
    const aisha = board.find((a) => a.name === 'Aisha Bello')!;
    await engine.batches.run((await ok<BatchProgress>(engine, 'batches/start', { appointmentIds: [aisha.id] })).batch.id, { waitSeconds: 60 });
    const timeline = await ok<TimelineView>(engine, 'appointments/timeline', { appointmentId: aisha.id });
    expect(timeline.phoneNumber).toBe('+12065550104');
    expect(timeline.calls.map((c) => [c.callNumber, c.isNewest])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});

describe('exports', () => {
  it('the batch log as Excel: phone numbers as text, appointment times as date-times in the clinic zone, durations as durations', async () => {
    const { engine, batchId } = await calledSample();
    const file = path.join(engine.dataDir, 'log.xlsx');
    expect(await engine.batches.exportFile({ kind: 'batch-log', batchId, format: 'xlsx' }, file)).toEqual({ rows: 8, savedTo: file });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['batch_id', 'timestamp', 'name', 'phone_number']);
    const col = (name: string): number => header.indexOf(name) + 1;
    const maria = sheet.getRow(2);
    expect(maria.getCell(col('name')).value).toBe('Maria Delgado');
    const phone = maria.getCell(col('phone_number'));
    expect(phone.type).toBe(ExcelJS.ValueType.String);
    expect(phone.value).toBe('+12125550100');
    const when = maria.getCell(col('appointment_date'));
    expect(when.type).toBe(ExcelJS.ValueType.Date);
    // Excel date-times have no zone: the cell holds the clinic's wall clock, 9:00 on Nov 25.
    expect((when.value as Date).toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(when.numFmt).toBe('yyyy-mm-dd hh:mm');
    // A duration is a day fraction formatted [h]:mm:ss (exceljs reads any time-formatted number back as a Date
    // counted from Excel's day zero, 1899-12-30).
    const duration = maria.getCell(col('call_duration_formatted'));
    expect(duration.numFmt).toBe('[h]:mm:ss');
    const seconds = maria.getCell(col('call_duration_seconds')).value as number;
    expect(seconds).toBeGreaterThan(0);
    expect(((duration.value as Date).getTime() - Date.UTC(1899, 11, 30)) / 1000).toBe(seconds);
    expect(maria.getCell(col('call_duration_seconds')).type).toBe(ExcelJS.ValueType.Number);
    expect(maria.getCell(col('timestamp')).type).toBe(ExcelJS.ValueType.Date);
    // The refused call says why, once.
    const refused = sheet.getRow(9);
    expect(refused.getCell(col('call_status')).value).toBe('failed');
    expect(String(refused.getCell(col('error_message')).value).match(/21211/g)).toHaveLength(1);
  });

  it('the follow-up list as Excel and CSV, with full numbers, and every export named in one place', async () => {
    const { engine, batchId } = await calledSample();
    const xlsx = await engine.batches.exportFile({ kind: 'follow-up', day: '2026-11-26', format: 'xlsx' });
    expect(xlsx.savedTo).toBe(path.join(engine.dataDir, 'exports', 'follow-up-2026-11-26.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx.savedTo!);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Name', 'Phone number', 'Appointment', 'Location', 'To do', 'Why', 'Last call', 'Batch']);
    expect(sheet.rowCount).toBe(4);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['Kenji Watanabe', '+13035550105']);
    expect(sheet.getRow(2).getCell(3).type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getRow(2).getCell(6).value).toBe('Not reached: no answer');

    const csv = await engine.batches.exportFile({ kind: 'follow-up', batchId, format: 'csv' });
    expect(path.basename(csv.savedTo!)).toBe(`follow-up-${batchId}.csv`);
    const text = fs.readFileSync(csv.savedTo!, 'utf8');
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.name, r.phone_number, r.reason])).toEqual([
      ["James O'Connor", '+16175550101', 'Cancelled (needs rescheduling)'],
      ['Aisha Bello', '+12065550104', 'Not reached: busy'],
      ['Kenji Watanabe', '+13035550105', 'Not reached: no answer'],
      ['Sofia Rossi', '+15125550106', 'Not reached: the call failed'],
      ['Daniel Okafor', '+14045550107', 'Not reached: the call could not be placed'],
    ]);
    expect(rows[0]!.appointment_date).toBe('2026-11-25 09:30');

    // Through the API (no host): the file goes to <dataDir>/exports with the one default name.
    expect(await ok(engine, 'batches/export', { batchId, format: 'xlsx' })).toEqual({
      savedTo: path.join(engine.dataDir, 'exports', `reminder-log-${batchId}.xlsx`),
      downloadUrl: null,
      fileName: `reminder-log-${batchId}.xlsx`,
    });
  });
});
