import ExcelJS from 'exceljs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, readAppointmentsBuffer, readAppointmentsFile, importOptionsFrom, type ImportOptions } from '../../../src-main/core/appointments/read-appointments';
import { parseSettings } from '../../../src-main/core/settings/load-settings';

const repo = path.resolve(import.meta.dirname, '../../..');
// The import options a clinic in New York gets from settings.yaml's defaults (same mapping as the app).
const options: ImportOptions = importOptionsFrom(parseSettings({ scheduling: { timezone: 'America/New_York' } }));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'appointments-xlsx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Excel's serial for a wall-clock time (1900 date system): what Excel stores for a date cell. */
const serialOf = (y: number, m: number, d: number, h: number, mi: number): number => Date.UTC(y, m - 1, d, h, mi) / 86_400_000 + 25_569;

async function saveWorkbook(name: string, build: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Appointments');
  build(sheet, workbook);
  const file = path.join(dir, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('XLSX import', () => {
  it('reads typed cells: real date cells, numbers, rich text, formulas and hyperlinks', async () => {
    const file = await saveWorkbook('typed.xlsx', (sheet) => {
      sheet.addRow(['Name', 'Phone Number', 'Appointment Date', 'Email', 'Location', 'ID']);
      // Row 2: a real Excel date cell. exceljs stores a Date's UTC digits as the serial, as Excel does.
      const dated = sheet.addRow(['Ann Lee', '(212) 555-0100', new Date(Date.UTC(2026, 10, 25, 14, 30)), 'ann@example.com', 'Main Street Clinic', 1001]);
      dated.getCell(3).numFmt = 'yyyy-mm-dd hh:mm';
      // Row 3: phone typed as a number, rich-text name, date as text in the fallback format, location from a formula.
      sheet.addRow([
        { richText: [{ text: 'Bob ', font: { bold: true } }, { text: 'Stone' }] },
        2125550101,
        '11/25/2026 09:15',
        { text: 'bob@example.com', hyperlink: 'mailto:bob@example.com' },
        { formula: '"Riverside "&"Office"', result: 'Riverside Office' },
        'B-2',
      ]);
      sheet.addRow([]); // row 4 left empty: row numbers must still match the spreadsheet
      // Row 5: a date serial in a cell without date formatting (a column someone reformatted as General).
      sheet.addRow(['Cy Ng', '212-555-0102', serialOf(2026, 7, 1, 8, 0), null, null, null]);
      // Row 6: bad phone and a spreadsheet error in the date column.
      sheet.addRow(['Di Park', '555-12', { error: '#N/A' }, null, null, null]);
      // Row 7: a date that does not exist at the clinic (clocks skip 02:00-03:00).
      sheet.addRow(['Ed Moss', '212-555-0103', new Date(Date.UTC(2027, 2, 14, 2, 30)), null, null, null]);
    });

    const result = await readAppointmentsFile(file, options);
    expect(result.format).toBe('xlsx');
    expect(result.totalRows).toBe(5);
    expect(result.rows.map(({ dedupeKey: _key, ...row }) => row)).toEqual([
      {
        line: 2,
        externalId: '1001',
        name: 'Ann Lee',
        phoneNumber: '+12125550100',
        email: 'ann@example.com',
        appointmentAt: '2026-11-25T14:30:00-05:00', // the wall-clock time shown in Excel, at the clinic
        location: 'Main Street Clinic',
        language: null,
        timezone: null,
      },
      {
        line: 3,
        externalId: 'B-2',
        name: 'Bob Stone',
        phoneNumber: '+12125550101',
        email: 'bob@example.com',
        appointmentAt: '2026-11-25T09:15:00-05:00',
        location: 'Riverside Office',
        language: null,
        timezone: null,
      },
      {
        line: 5,
        externalId: null,
        name: 'Cy Ng',
        phoneNumber: '+12125550102',
        email: null,
        appointmentAt: '2026-07-01T08:00:00-04:00',
        location: null,
        language: null,
        timezone: null,
      },
    ]);
    expect(result.rows[0]?.dedupeKey).toBe('id:1001');
    expect(result.errors).toEqual([
      { line: 6, column: 'phone_number', value: '555-12', reason: 'phone_number "555-12" is not a valid US phone number' },
      { line: 6, column: 'appointment_date', value: '#N/A', reason: 'appointment_date holds the spreadsheet error #N/A' },
      {
        line: 7,
        column: 'appointment_date',
        value: '2027-03-14 02:30',
        reason:
          'appointment_date "2027-03-14 02:30" does not exist in America/New_York: the clocks skip that hour when daylight saving time starts; check the time',
      },
    ]);
  });

  it('accepts drag-and-dropped bytes, uses the first worksheet and the first non-empty row as the header', async () => {
    const file = await saveWorkbook('offset.xlsx', (sheet, workbook) => {
      sheet.getRow(3).values = ['name', 'phone_number', 'appointment_date'];
      sheet.getRow(4).values = ['Ann Lee', '212-555-0100', '2026-11-25 09:00'];
      workbook.addWorksheet('Notes').addRow(['not', 'read']);
    });
    const result = await readAppointmentsBuffer(await readFile(file), 'dropped.xlsx', options);
    expect(result.rows.map((r) => [r.line, r.appointmentAt])).toEqual([[4, '2026-11-25T09:00:00-05:00']]);
  });

  it('reports a missing column with the columns found, and a file that is not a workbook', async () => {
    const file = await saveWorkbook('missing.xlsx', (sheet) => {
      sheet.addRow(['Name', 'Phone', 'When']);
    });
    await expect(readAppointmentsFile(file, options)).rejects.toThrow(
      'missing.xlsx is missing the required columns "phone_number", "appointment_date". Columns found: Name, Phone, When.',
    );
    const notZip = path.join(dir, 'fake.xlsx');
    await writeFile(notZip, 'name,phone_number\n');
    const error = await readAppointmentsFile(notZip, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/^fake\.xlsx could not be opened as an \.xlsx workbook/);
  });
});

describe('resources/sample-appointments.xlsx', () => {
  it('holds the same appointments as the sample CSV, its dates as real Excel date cells', async () => {
    const fromCsv = await readAppointmentsFile(path.join(repo, 'resources/sample-appointments.csv'), options);
    const fromXlsx = await readAppointmentsFile(path.join(repo, 'resources/sample-appointments.xlsx'), options);
    expect(fromXlsx.errors).toEqual([]);
    expect(fromXlsx.rows).toEqual(fromCsv.rows);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(repo, 'resources/sample-appointments.xlsx'));
    expect(workbook.worksheets[0]?.getCell('D2').value).toBeInstanceOf(Date);
  });
});
