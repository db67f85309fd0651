// Files built to hurt (issue 9.4, 9.6, 9.8, 9.9): caps with plain messages, names that can't be spoken,
// file text echoed back cut and cleaned, a zip bomb refused before it is expanded, UTF-16 in every form.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { importOptionsFrom, readAppointmentsBuffer, type ImportOptions } from '../../../src-main/core/appointments/read-appointments';
import { quoteFileText } from '../../../src-main/core/appointments/safe-text';
import { sniffEncoding } from '../../../src-main/core/appointments/csv-decoding';
import { parseSettings } from '../../../src-main/core/settings/load-settings';

const optionsWith = (importSection: Record<string, number> = {}): ImportOptions =>
  importOptionsFrom(parseSettings({ scheduling: { timezone: 'America/New_York' }, import: importSection }));
const options = optionsWith();

const HEADER = 'name,phone_number,appointment_date';
const GOOD_ROW = 'Ann Lee,212-555-0100,2026-11-25 09:00';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le).swap16();
  const mark = order === 'le' ? Buffer.from([0xff, 0xfe]) : Buffer.from([0xfe, 0xff]);
  return bom ? Buffer.concat([mark, body]) : body;
}

describe('UTF-16 CSV files', () => {
  const text = `Name;Phone Number;Appointment Date\r\nJosé Núñez;212-555-0100;2026-11-25 09:00\r\n`;
  it.each([
    ['LE with BOM', utf16(text, 'le', true)],
    ['BE with BOM', utf16(text, 'be', true)],
    ['LE without BOM', utf16(text, 'le', false)],
    ['BE without BOM', utf16(text, 'be', false)],
  ])('imports %s', async (_label, bytes) => {
    const result = await readAppointmentsBuffer(bytes, 'unicode.csv', options);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => [row.line, row.name, row.phoneNumber])).toEqual([[2, 'José Núñez', '+12125550100']]);
  });

  it('still reads UTF-8 and Windows-1252 files as before', async () => {
    expect(sniffEncoding(Buffer.from(`${HEADER}\n`))).toBe('utf-8');
    const latin = Buffer.from(`${HEADER}\nJos\xe9 Lee,212-555-0100,2026-11-25 09:00\n`, 'latin1');
    expect((await readAppointmentsBuffer(latin, 'ansi.csv', options)).rows[0]!.name).toBe('José Lee');
  });
});

describe('names and fields that cannot be spoken', () => {
  it('refuses a 100,000-character name and a NUL in a name, with the line, keeping the good rows', async () => {
    const long = 'A'.repeat(100_000);
    const file = Buffer.from(`${HEADER}\n${GOOD_ROW}\n${long},212-555-0101,2026-11-25 09:30\n"Bo\u0000b",212-555-0102,2026-11-25 10:00\nCy,212-555-0103,2026-11-25 10:30\n`);
    const result = await readAppointmentsBuffer(file, 'names.csv', options);
    expect(result.rows.map((row) => row.line)).toEqual([2, 5]);
    expect(result.errors.map((error) => [error.line, error.column])).toEqual([
      [3, 'name'],
      [4, 'name'],
    ]);
    expect(result.errors[0]!.reason).toBe('name is 100,000 characters long; the most it may be is 100');
    expect(result.errors[0]!.value!.length).toBeLessThanOrEqual(81);
    expect(result.errors[1]!.reason).toMatch(/control character/);
    expect(result.errors[1]!.value).not.toContain('\u0000');
  });

  it('caps location, email and id too, and refuses escape codes in them', async () => {
    const file = Buffer.from(
      `${HEADER},location,email,id\n` +
        `Ann,212-555-0100,2026-11-25 09:00,${'x'.repeat(201)},,\n` +
        `Bob,212-555-0101,2026-11-25 09:00,Main,\u001b[31mred@example.com,\n` +
        `Cy,212-555-0102,2026-11-25 09:00,Main,,${'9'.repeat(101)}\n`,
    );
    const result = await readAppointmentsBuffer(file, 'fields.csv', options);
    expect(result.rows).toEqual([]);
    expect(result.errors.map((error) => [error.line, error.column])).toEqual([
      [2, 'location'],
      [3, 'email'],
      [4, 'id'],
    ]);
    for (const error of result.errors) expect(error.value).not.toContain('\u001b');
  });
});

describe('file text echoed in messages', () => {
  it('cuts and cleans a hostile header before quoting it', async () => {
    const header = `\u001b]0;pwned\u0007\u001b[2J${'h'.repeat(5_000)},other`;
    const error = await readAppointmentsBuffer(Buffer.from(`${header}\n1,2\n`), 'evil.csv', options).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^evil\.csv is missing the required columns "name", "phone_number", "appointment_date"\. Columns found: /);
    expect([...(error as Error).message].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([]);
    expect((error as Error).message.length).toBeLessThan(400);
  });

  it('quoteFileText strips controls and bidi overrides and cuts long text', () => {
    expect(quoteFileText('a\u0000b\u001b[31mc\u202ed')).toBe('a b [31mc d');
    expect(quoteFileText('y'.repeat(1_000), 10)).toBe(`${'y'.repeat(10)}…`);
  });
});

describe('caps (import.*)', () => {
  it('refuses a file over import.max_file_mb, naming the size and the setting', async () => {
    const big = Buffer.alloc(Math.ceil(1.5 * 1024 * 1024), 'a');
    await expect(readAppointmentsBuffer(big, 'big.csv', optionsWith({ max_file_mb: 1 }))).rejects.toThrow(
      'big.csv is 1.5 MB, more than the 1.0 MB one import takes (import.max_file_mb)',
    );
  });

  it('refuses a file with more rows than import.max_rows', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => `P${i},212-555-01${String(i).padStart(2, '0')},2026-11-25 09:00`);
    const file = Buffer.from(`${HEADER}\n${rows.join('\n')}\n`);
    await expect(readAppointmentsBuffer(file, 'many.csv', optionsWith({ max_rows: 10 }))).rejects.toThrow(
      'many.csv has more than 10 appointment rows, the most one import takes (import.max_rows)',
    );
    expect((await readAppointmentsBuffer(file, 'many.csv', optionsWith({ max_rows: 11 }))).rows).toHaveLength(11);
  });

  it('refuses a zip-bomb workbook (a tiny file whose shared strings unpack to 60 MB) before exceljs expands it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Appointments').addRow(['name', 'phone_number', 'appointment_date']);
    const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    const strings = `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>x</t></si>'.repeat(3_600_000)}</sst>`;
    zip.file('xl/sharedStrings.xml', strings);
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(1024 * 1024);

    const started = performance.now();
    await expect(readAppointmentsBuffer(bomb, 'bomb.xlsx', options)).rejects.toThrow(
      'bomb.xlsx holds 58 MB of text once unpacked, more than the 20 MB an import reads (import.max_xlsx_shared_strings_mb)',
    );
    expect(performance.now() - started).toBeLessThan(200);
    await expect(readAppointmentsBuffer(bomb, 'bomb.xlsx', optionsWith({ max_xlsx_shared_strings_mb: 100, max_xlsx_unpacked_mb: 30 }))).rejects.toThrow(
      /unpacks to \d+ MB, more than the 30 MB an import reads \(import\.max_xlsx_unpacked_mb\)/,
    );
  });
});
