import type { Stream } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { wallClockAt } from '../vocabulary/clinic-time';

// A streaming .xlsx writer for exports staff open in Excel (issue 8): each column has a type, so phone numbers
// are text cells (no 1.21E+10, no lost +), times are real date-times in the clinic's zone (sortable, filterable)
// and durations are durations ([h]:mm:ss), not text. Written row by row (exceljs's streaming WorkbookWriter), so a
// long batch never sits in memory as one workbook.

export type XlsxColumnType = 'text' | 'number' | 'datetime' | 'duration';

export interface XlsxColumn<K extends string = string> {
  key: K;
  header: string;
  type: XlsxColumnType;
  width?: number;
}

/** text: string; number: number; datetime: an ISO instant (shown in the clinic's zone); duration: seconds. */
export type XlsxRow<K extends string = string> = Record<K, string | number | null>;

const NUMBER_FORMAT: Record<XlsxColumnType, string | undefined> = {
  text: '@',
  number: '0',
  datetime: 'yyyy-mm-dd hh:mm',
  duration: '[h]:mm:ss',
};

/**
 * Excel date-times have no zone: the serial is the wall-clock time shown. exceljs writes a JS Date by its UTC
 * fields, so the clinic's wall clock at that instant goes in as a UTC Date.
 */
export function clinicDateCell(iso: string, timezone: string): Date | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const w = wallClockAt(ms, timezone);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

function cellValue(type: XlsxColumnType, value: string | number | null, timezone: string): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  switch (type) {
    case 'text':
      return String(value);
    case 'number':
      return typeof value === 'number' ? value : Number.isFinite(Number(value)) ? Number(value) : String(value);
    case 'datetime':
      return typeof value === 'string' ? (clinicDateCell(value, timezone) ?? value) : value;
    case 'duration':
      // Excel durations are fractions of a day.
      return typeof value === 'number' ? value / 86_400 : value;
  }
}

export interface XlsxSheet<K extends string> {
  name: string;
  columns: readonly XlsxColumn<K>[];
  rows: Iterable<XlsxRow<K>> | AsyncIterable<XlsxRow<K>>;
}

/** Streams one worksheet into `out` (ended when done). Returns how many data rows were written. */
export async function writeXlsx<K extends string>(sheet: XlsxSheet<K>, out: NodeJS.WritableStream, timezone: string): Promise<{ rows: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as Stream, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? Math.max(12, c.header.length + 2),
    style: NUMBER_FORMAT[c.type] ? { numFmt: NUMBER_FORMAT[c.type]! } : {},
  }));
  worksheet.getRow(1).font = { bold: true };
  let rows = 0;
  for await (const row of sheet.rows) {
    const values: Record<string, ExcelJS.CellValue> = {};
    for (const c of sheet.columns) values[c.key] = cellValue(c.type, row[c.key], timezone);
    worksheet.addRow(values).commit();
    rows += 1;
  }
  worksheet.commit();
  const done = finished(out as unknown as NodeJS.WritableStream).catch(() => undefined);
  await workbook.commit();
  await done;
  return { rows };
}
