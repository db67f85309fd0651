import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportFileError,
  dedupeKeyFor,
  importOptionsFrom,
  readAppointmentsBuffer,
  readAppointmentsFile,
  type ImportOptions,
} from '../../../src-main/core/appointments/read-appointments';
import { parseSettings } from '../../../src-main/core/settings/load-settings';

const repo = path.resolve(import.meta.dirname, '../../..');
const fixture = (name: string): string => path.join(repo, 'test/fixtures', name);

// The import options a clinic in New York gets from settings.yaml's defaults (same mapping as the app).
const options: ImportOptions = importOptionsFrom(parseSettings({ scheduling: { timezone: 'America/New_York' } }));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'appointments-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const csv = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('CSV import: bad rows', () => {
  it('keeps the good rows and reports each bad one at the line an editor shows', async () => {
    const result = await readAppointmentsFile(fixture('appointments-bad-rows.csv'), options);
    expect(result.format).toBe('csv');
    expect(result.totalRows).toBe(9); // the blank line 5 and the ",,,,," line 15 are not rows

    expect(result.rows).toEqual([
      {
        line: 2,
        externalId: null,
        name: 'Ann Lee',
        phoneNumber: '+12125550100',
        email: 'ann@example.com',
        appointmentAt: '2026-11-25T09:00:00-05:00',
        location: 'Main Street Clinic',
        language: null,
        timezone: null,
        dedupeKey: dedupeKeyFor(null, 'Ann Lee', '+12125550100', Date.parse('2026-11-25T14:00:00Z')),
      },
      {
        line: 10,
        externalId: null,
        name: 'Fay "Bee" Kim',
        phoneNumber: '+12125550115',
        email: null,
        appointmentAt: '2026-11-25T15:00:00-05:00',
        location: 'Clinic Annex East', // a quoted value over three lines, spaced out on one
        language: null,
        timezone: null,
        dedupeKey: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    ]);

    expect(result.errors).toEqual([
      { line: 3, column: 'name', value: null, reason: 'missing name' },
      { line: 4, column: 'phone_number', value: '555-12', reason: 'phone_number "555-12" is not a valid US phone number' },
      {
        line: 6,
        column: 'appointment_date',
        value: '25.11.2026 10:30',
        reason:
          'appointment_date "25.11.2026 10:30" does not match the date formats "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M" or ISO 8601 (e.g. 2026-11-25T14:30)',
      },
      { line: 7, column: 'email', value: 'dev@', reason: 'email "dev@" is not a valid email address' },
      {
        line: 9,
        column: 'appointment_date',
        value: '2026-02-30 09:00',
        reason: 'appointment_date "2026-02-30 09:00" is not a real calendar date or time',
      },
      { line: 13, column: null, value: null, reason: 'duplicate of line 2: same name, phone number and appointment time' },
      {
        line: 14,
        column: null,
        value: null,
        reason: 'has 7 values but the header has 6 columns; a value containing a comma must be in double quotes',
      },
    ]);
  });

  it('reports every problem of a row, not only the first', async () => {
    const result = await readAppointmentsBuffer(csv('name,phone_number,appointment_date\n,12,soon\n'), 'x.csv', options);
    expect(result.rows).toEqual([]);
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'name'],
      [2, 'phone_number'],
      [2, 'appointment_date'],
    ]);
  });
});

describe('CSV import: file shapes', () => {
  it('handles a UTF-8 BOM, CRLF, blank lines and multi-line quoted values when counting lines', async () => {
    const text =
      '\uFEFFname,phone_number,appointment_date,location\r\n' + // 1
      '\r\n' + // 2
      'Ann Lee,212-555-0100,2026-11-25 09:00,"Main Street\r\nClinic"\r\n' + // 3-4
      '   \r\n' + // 5: only spaces
      '"Bob\r\nStone",212-555-0101,2026-11-25 09:30,\r\n' + // 6-7
      'Cy Ng,bad,2026-11-25 10:00,\r\n'; // 8
    const result = await readAppointmentsBuffer(csv(text), 'bom.csv', options);
    expect(result.rows.map((r) => [r.line, r.name, r.location])).toEqual([
      [3, 'Ann Lee', 'Main Street Clinic'],
      [6, 'Bob Stone', null],
    ]);
    expect(result.errors).toEqual([{ line: 8, column: 'phone_number', value: 'bad', reason: 'phone_number "bad" is not a valid US phone number' }]);
  });

  it('matches header names case-insensitively, trimmed, with spaces and dashes as underscores', async () => {
    const text = ' NAME , Phone Number,appointment-date , E-Mail,Location\nAnn Lee,212-555-0100,2026-11-25 09:00,,\n';
    const result = await readAppointmentsBuffer(csv(text), 'headers.csv', options);
    expect(result.rows).toHaveLength(1);
    expect(result.errors).toEqual([]);
  });

  it('reads a Windows-1252 file (Excel "CSV" on Windows) without mangling accents', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,phone_number,appointment_date\r\nJos', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(' Mu', 'latin1'),
      Buffer.from([0xf1]),
      Buffer.from('oz,212-555-0100,2026-11-25 09:00\r\n', 'latin1'),
    ]);
    const result = await readAppointmentsBuffer(bytes, 'ansi.csv', options);
    expect(result.rows[0]?.name).toBe('José Muñoz');
  });

  it('reads semicolon-separated files (Excel in European locales)', async () => {
    const text = 'name;phone_number;appointment_date;location\nAnn Lee;020 7946 0958;2026-11-25 09:00;Rose House, Room 2\n';
    const result = await readAppointmentsBuffer(csv(text), 'eu.csv', { ...options, defaultRegion: 'GB', timezone: 'Europe/London' });
    expect(result.rows.map((r) => [r.phoneNumber, r.appointmentAt, r.location])).toEqual([
      ['+442079460958', '2026-11-25T09:00:00+00:00', 'Rose House, Room 2'],
    ]);
  });

  it('names the missing required column and lists the columns found', async () => {
    const text = 'Name,Phone,appointment_date\nAnn,212-555-0100,2026-11-25 09:00\n';
    const error = await readAppointmentsBuffer(csv(text), 'clinic.csv', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toBe(
      'clinic.csv is missing the required column "phone_number". Columns found: Name, Phone, appointment_date.',
    );
  });

  it('requires the extra columns listed in data.required_columns, as a column and in every row', async () => {
    const opts = { ...options, requiredColumns: [...options.requiredColumns, 'email'] };
    await expect(readAppointmentsBuffer(csv('name,phone_number,appointment_date\n'), 'a.csv', opts)).rejects.toThrow(
      'a.csv is missing the required column "email". Columns found: name, phone_number, appointment_date.',
    );
    const result = await readAppointmentsBuffer(
      csv('name,phone_number,appointment_date,email\nAnn,212-555-0100,2026-11-25 09:00,\n'),
      'b.csv',
      opts,
    );
    expect(result.errors).toEqual([{ line: 2, column: 'email', value: null, reason: 'missing email' }]);
  });

  it('rejects a column named twice, an empty file, an unclosed quote and unsupported file types', async () => {
    await expect(readAppointmentsBuffer(csv('name,phone_number,appointment_date,Name\n'), 'a.csv', options)).rejects.toThrow(
      'a.csv has the column "name" twice (columns 1 and 4)',
    );
    await expect(readAppointmentsBuffer(csv('\n\n'), 'empty.csv', options)).rejects.toThrow('empty.csv is empty');
    const unclosed = 'name,phone_number,appointment_date\nAnn,212-555-0100,2026-11-25 09:00\n\n"Bob,212-555-0101,2026-11-25 09:00\nCy,212-555-0102,2026-11-25 09:30\n';
    await expect(readAppointmentsBuffer(csv(unclosed), 'q.csv', options)).rejects.toThrow(
      'q.csv is not a readable CSV file: a quote (") in the row at line 4 is opened and never closed',
    );
    await expect(readAppointmentsBuffer(csv('x'), 'list.txt', options)).rejects.toThrow(
      'list.txt is not a supported file type: use a .csv or .xlsx file',
    );
    await expect(readAppointmentsBuffer(csv('x'), 'old.XLS', options)).rejects.toThrow(/old \.xls workbook.*save it as \.xlsx or CSV/);
    await expect(readAppointmentsFile(path.join(dir, 'nope.csv'), options)).rejects.toThrow(/could not read .*nope\.csv: the file does not exist/);
  });

  it('turns an unusable date format in settings into a file error naming the setting', async () => {
    const error = await readAppointmentsBuffer(csv('name,phone_number,appointment_date\n'), 'a.csv', {
      ...options,
      dateFormat: '%Y-%m-%d %Q',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/^settings data\.date_format.*%Q, which is not supported/);
  });
});

describe('dedupe keys', () => {
  it('are the same when the same file is read twice, so the store upserts instead of duplicating', async () => {
    const file = path.join(repo, 'resources/sample-appointments.csv');
    const first = await readAppointmentsFile(file, options);
    const second = await readAppointmentsFile(file, options);
    expect(first.rows.map((r) => r.dedupeKey)).toEqual(second.rows.map((r) => r.dedupeKey));
    expect(first.rows[0]?.dedupeKey).toBe('id:A-1001');

    const noIds = path.join(dir, 'no-ids.csv');
    await writeFile(noIds, 'name,phone_number,appointment_date\nAnn Lee,212-555-0100,2026-11-25 09:00\nBo Li,212-555-0101,2026-11-25 09:00\n');
    const a = await readAppointmentsFile(noIds, options);
    const b = await readAppointmentsFile(noIds, options);
    expect(a.rows.map((r) => r.dedupeKey)).toEqual(b.rows.map((r) => r.dedupeKey));
    expect(new Set(a.rows.map((r) => r.dedupeKey)).size).toBe(2);
  });

  it('ignore how a name is cased or spaced and how the phone and date were written', async () => {
    const text =
      'name,phone_number,appointment_date\n' +
      'Ann Lee,212-555-0100,2026-11-25 09:00\n' +
      'ann   LEE,(212) 555 0100,11/25/2026 09:00\n' +
      'Ann Lee,212-555-0100,2026-11-25T14:00:00Z\n';
    const result = await readAppointmentsBuffer(csv(text), 'a.csv', options);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [3, 'duplicate of line 2: same name, phone number and appointment time'],
      [4, 'duplicate of line 2: same name, phone number and appointment time'],
    ]);
  });

  it('use the file id when there is one, and report a repeated id against its first line', async () => {
    const text =
      'id,name,phone_number,appointment_date\n' +
      'P-1,Ann Lee,212-555-0100,2026-11-25 09:00\n' +
      ',Ann Lee,212-555-0100,2026-11-26 09:00\n' +
      'P-1,Someone Else,212-555-0101,2026-11-27 09:00\n';
    const result = await readAppointmentsBuffer(csv(text), 'ids.csv', options);
    expect(result.rows.map((r) => [r.line, r.externalId, r.dedupeKey.slice(0, 7)])).toEqual([
      [2, 'P-1', 'id:P-1'],
      [3, null, 'sha256:'],
    ]);
    expect(result.errors).toEqual([{ line: 4, column: 'id', value: 'P-1', reason: 'duplicate of line 2: same id "P-1"' }]);
  });
});

describe('resources/sample-appointments.csv', () => {
  it('imports cleanly: eight patients whose last two digits pick simulator outcomes 00-07', async () => {
    const result = await readAppointmentsFile(path.join(repo, 'resources/sample-appointments.csv'), options);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.phoneNumber.slice(-2))).toEqual(['00', '01', '02', '03', '04', '05', '06', '07']);
    expect(result.rows.every((r) => r.location && r.externalId)).toBe(true);
  });
});

describe('CSV import: the clinic\'s status column', () => {
  it('reads "cancelled" (any case, either spelling) as cancelled by the clinic; other statuses change nothing', async () => {
    const text =
      'name,phone_number,appointment_date,status\n' +
      'Ann Lee,212-555-0100,2026-11-25 09:00,Cancelled\n' +
      'Bob Stone,212-555-0101,2026-11-25 09:30,canceled\n' +
      'Cy Ng,212-555-0102,2026-11-25 10:00,Scheduled\n' +
      'Di Park,212-555-0103,2026-11-25 10:30,\n';
    const result = await readAppointmentsBuffer(csv(text), 'status.csv', options);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.name, r.cancelled ?? false])).toEqual([
      ['Ann Lee', true],
      ['Bob Stone', true],
      ['Cy Ng', false],
      ['Di Park', false],
    ]);
  });
});
