// batches/exports.ts on its own: the one export path's requests, names, follow-up list and batch log sheet,
// over a real SQLite file. The engine's use of it (modes, hosts, the API) is test/core/engine/results-and-exports.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FollowUpRow } from '../../../src-main/core/api/contract';
import { batchEntries, defaultExportPath, exportFileName, exportRequestFrom, writeExport } from '../../../src-main/core/batches/exports';
import { createBatch, getBatch } from '../../../src-main/core/store/batches';
import { listBatchAttempts, markDialing, markPlaced } from '../../../src-main/core/store/call-attempts';
import { recordStatusEvent } from '../../../src-main/core/store/status-events';
import { addAppointments, tempDb } from './fixtures';

const stores: ReturnType<typeof tempDb>[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.cleanup();
});
function store(): ReturnType<typeof tempDb> {
  const s = tempDb();
  stores.push(s);
  return s;
}

const followUp = (overrides: Partial<FollowUpRow>): FollowUpRow => ({
  appointmentId: 1,
  name: 'Ann Person',
  phoneNumber: '+12125550100',
  appointmentAt: '2030-01-15T15:30:00.000Z',
  location: 'Main St Clinic',
  outcome: 'not-reached',
  notReachedBy: 'busy',
  batchId: '20300114-100000-ab12',
  lastCallAt: '2030-01-14T15:02:00.000Z',
  ...overrides,
});

async function intoBuffer(write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

describe('export requests and names', () => {
  it('reads a download link: a batch log needs a batch, a follow-up list a batch or a day (not both), csv or xlsx', () => {
    const q = (s: string) => exportRequestFrom(new URLSearchParams(s));
    expect(q('kind=batch-log&batchId=b1')).toEqual({ kind: 'batch-log', batchId: 'b1', format: 'csv' });
    expect(q('kind=batch-log&batchId=b1&format=xlsx')).toEqual({ kind: 'batch-log', batchId: 'b1', format: 'xlsx' });
    expect(q('kind=follow-up&day=2030-01-15')).toEqual({ kind: 'follow-up', batchId: undefined, day: '2030-01-15', format: 'csv' });
    expect(q('kind=follow-up&batchId=b1')).toEqual({ kind: 'follow-up', batchId: 'b1', day: undefined, format: 'csv' });
    for (const refused of [
      'kind=batch-log',
      'kind=batch-log&batchId=',
      `kind=batch-log&batchId=${'x'.repeat(65)}`,
      'kind=batch-log&batchId=b1&format=pdf',
      'kind=follow-up',
      'kind=follow-up&batchId=b1&day=2030-01-15',
      'kind=follow-up&day=15/01/2030',
      'kind=other&batchId=b1',
      'batchId=b1',
    ]) {
      expect({ refused, request: q(refused) }).toEqual({ refused, request: null });
    }
    expect(q(`kind=batch-log&batchId=${'x'.repeat(64)}`)).not.toBeNull();
  });

  it('names every export in one place, with anything a file system might refuse replaced', () => {
    expect(exportFileName({ kind: 'batch-log', batchId: '20300114-100000-ab12', format: 'csv' })).toBe('reminder-log-20300114-100000-ab12.csv');
    expect(exportFileName({ kind: 'batch-log', batchId: '../a b:c', format: 'xlsx' })).toBe('reminder-log-..-a-b-c.xlsx');
    expect(exportFileName({ kind: 'follow-up', day: '2030-01-15', format: 'csv' })).toBe('follow-up-2030-01-15.csv');
    expect(exportFileName({ kind: 'follow-up', batchId: 'b/1', format: 'xlsx' })).toBe('follow-up-b-1.xlsx');
    expect(exportFileName({ kind: 'follow-up', format: 'csv' })).toBe('follow-up-list.csv');
    expect(defaultExportPath('/data', { kind: 'follow-up', day: '2030-01-15', format: 'csv' })).toBe(path.join('/data', 'exports', 'follow-up-2030-01-15.csv'));
  });
});

describe('the needs-follow-up list', () => {
  it('as CSV: BOM, CRLF, full numbers, what to do and why, clinic-time text, formulas neutralised, empty for none', async () => {
    const { db } = store();
    const rows = [
      followUp({ outcome: 'cancelled', notReachedBy: null, name: '=HYPERLINK("x")' }),
      followUp({ notReachedBy: 'no-answer', location: null, lastCallAt: null }),
      followUp({ notReachedBy: null }),
    ];
    const bytes = await intoBuffer((out) => writeExport({ kind: 'follow-up', day: '2030-01-15', format: 'csv' }, { db, timezone: 'America/New_York', followUp: rows }, out));
    const text = bytes.toString('utf8');
    expect(text.startsWith('\ufeffname,phone_number,appointment_date,location,follow_up,reason,last_call_at,batch_id\r\n')).toBe(true);
    const records = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(records).toEqual([
      {
        name: "'=HYPERLINK(\"x\")",
        phone_number: '+12125550100',
        appointment_date: '2030-01-15 10:30',
        location: 'Main St Clinic',
        follow_up: 'Reschedule',
        reason: 'Cancelled (needs rescheduling)',
        last_call_at: '2030-01-14 10:02',
        batch_id: '20300114-100000-ab12',
      },
      expect.objectContaining({ follow_up: 'Call back', reason: 'Not reached: no answer', location: '', last_call_at: '' }),
      expect.objectContaining({ follow_up: 'Call back', reason: 'Not reached: the call failed' }),
    ]);
    const empty = await intoBuffer((out) => writeExport({ kind: 'follow-up', day: '2030-01-15', format: 'csv' }, { db, timezone: 'UTC' }, out));
    expect(empty.toString('utf8')).toBe('\ufeffname,phone_number,appointment_date,location,follow_up,reason,last_call_at,batch_id\r\n');
  });

  it('as Excel: staff headers, the number as text, the times as date-times, to a file written whole', async () => {
    const { db, dir } = store();
    const file = path.join(dir, 'exports', 'follow-up.xlsx');
    const result = await writeExport({ kind: 'follow-up', day: '2030-01-15', format: 'xlsx' }, { db, timezone: 'UTC', followUp: [followUp({ notReachedBy: 'not-placed' })] }, file);
    expect(result).toEqual({ rows: 1, savedTo: file });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['follow-up.xlsx']); // no temp file left behind
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Needs follow-up');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Name', 'Phone number', 'Appointment', 'Location', 'To do', 'Why', 'Last call', 'Batch']);
    const row = sheet.getRow(2);
    expect(row.getCell(2).value).toBe('+12125550100');
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(6).value).toBe('Not reached: the call could not be placed');
  });
});

describe('the batch log', () => {
  it('reads a batch page by page in batch order, every attempt with its appointment, across page boundaries', () => {
    const { db } = store();
    const phones = Array.from({ length: 1_203 }, (_, i) => `+1212555${String(i).padStart(4, '0')}`);
    const batch = createBatch(db, { appointmentIds: addAppointments(db, phones), simulated: true, now: new Date('2030-01-14T10:00:00Z') });
    const entries = [...batchEntries(db, batch.id)];
    expect(entries).toHaveLength(1_203);
    expect(entries.map((e) => e.appointment.phoneNumber)).toEqual(phones);
    expect(entries.every((e) => e.attempt.appointmentId === e.appointment.id)).toBe(true);
  });

  it('as Excel: the CSV columns, with times as date-times and counts as numbers', async () => {
    const { db } = store();
    const batch = createBatch(db, { appointmentIds: addAppointments(db, ['+12125550100', '+12125550101']), simulated: true, now: new Date('2030-01-14T10:00:00Z') });
    const [first] = listBatchAttempts(db, batch.id);
    markDialing(db, first!.id, { statusCallbackUrl: null, twimlUrl: null, from: '+15005550006', to: '+12125550100', now: '2030-01-14T10:00:01.000Z' });
    markPlaced(db, first!.id, 'CA00000000000000000000000000000001', '2030-01-14T10:00:02.000Z');
    recordStatusEvent(db, {
      callSid: 'CA00000000000000000000000000000001',
      source: 'callback',
      sequenceNumber: 3,
      callStatus: 'completed',
      durationSeconds: 41,
      params: {},
      receivedAt: '2030-01-14T10:00:50.000Z',
    });
    const bytes = await intoBuffer((out) =>
      writeExport({ kind: 'batch-log', batchId: batch.id, format: 'xlsx' }, { db, timezone: 'America/New_York', batch: getBatch(db, batch.id)! }, out),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([bytes]));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Reminder calls');
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (row: number, column: string) => sheet.getRow(row).getCell(header.indexOf(column) + 1);
    expect(sheet.rowCount).toBe(3);
    expect(cell(2, 'phone_number').value).toBe('+12125550100');
    // Excel date-times have no zone: the cell holds the clinic's wall clock (New York, 5 hours behind UTC in January).
    expect(cell(2, 'timestamp').value).toEqual(new Date(Date.UTC(2030, 0, 14, 5, 0, 1)));
    expect(cell(2, 'appointment_date').value).toEqual(new Date(Date.UTC(2030, 0, 15, 5, 0, 0)));
    expect(cell(2, 'timestamp').numFmt).toBe('yyyy-mm-dd hh:mm');
    // 41 seconds: a number, and a duration (a fraction of a day) Excel shows as 0:00:41 (exceljs reads it back as
    // that time of Excel's day zero, 1899-12-30).
    expect(cell(2, 'call_duration_seconds').value).toBe(41);
    expect(cell(2, 'call_duration_formatted').value).toEqual(new Date(Date.UTC(1899, 11, 30, 0, 0, 41)));
    expect(cell(2, 'call_duration_formatted').numFmt).toBe('[h]:mm:ss');
    expect(cell(2, 'call_id').value).toBe('CA00000000000000000000000000000001');
    expect(cell(3, 'timestamp').value).toBeNull(); // never dialled: no time invented
  });

  it('refuses a batch-log export without its batch', async () => {
    const { db } = store();
    await expect(intoBuffer((out) => writeExport({ kind: 'batch-log', batchId: 'nope', format: 'csv' }, { db, timezone: 'UTC' }, out))).rejects.toThrow('There is no batch nope');
  });
});
