// .xlsx -> SheetData with exceljs: the first worksheet, its first non-empty row as the header,
// row numbers as the spreadsheet shows them. Cells keep their type so a real date cell is read as the
// wall-clock time it shows, and a phone number typed as a number is not turned into 2.1e9.

import type ExcelJS from 'exceljs';
import { quoteFileText } from './safe-text';
import { ImportFileError, isBlankCell, type SheetCell, type SheetData, type SheetRow } from './sheet-rows';
import type { WallClock } from '../vocabulary/clinic-time';

export async function readXlsxRows(data: Buffer, fileName: string, limits: { maxRows: number } = { maxRows: Infinity }): Promise<SheetData> {
  // Loaded on first use: a CSV import (in its worker) need not carry exceljs's tens of MB.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer; the runtime accepts any Buffer.
    await workbook.xlsx.load(data as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    throw new ImportFileError(
      `${fileName} could not be opened as an .xlsx workbook (${quoteFileText((error as Error).message, 200)}). ` +
        'If it is an older .xls file, open it in Excel and save it as .xlsx or CSV.',
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError(`${fileName} has no worksheet`);
  const date1904 = Boolean(workbook.properties?.date1904);

  let header: string[] | null = null;
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const width = header ? header.length : row.cellCount;
    const cells: SheetCell[] = [];
    for (let column = 1; column <= Math.max(width, row.cellCount); column++) {
      cells.push(toSheetCell(row.getCell(column).value, date1904));
    }
    if (cells.every((cell) => isBlankCell(cell))) return;
    if (!header) {
      header = cells.map(cellText);
      return;
    }
    if (rows.length >= limits.maxRows) {
      throw new ImportFileError(
        `${fileName} has more than ${limits.maxRows.toLocaleString('en-US')} appointment rows, the most one import takes (import.max_rows). ` +
          'Split the file, or raise import.max_rows in the settings.',
      );
    }
    rows.push({
      line: rowNumber,
      cells: cells.slice(0, header.length),
      extraValues: 0, // columns without a header are notes people keep next to the data; ignore them
    });
  });
  if (!header) throw new ImportFileError(`${fileName}: the first worksheet is empty; expected a header row such as name, phone_number, appointment_date`);
  return { format: 'xlsx', header, rows, date1904 };
}

type ExcelValue = ExcelJS.CellValue | undefined;

function toSheetCell(value: ExcelValue, date1904: boolean): SheetCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return excelDateCell(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return { kind: 'error', code: String(value.error) };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result !== null && typeof result === 'object' && 'error' in result) return { kind: 'error', code: String(result.error) };
    return toSheetCell(result as ExcelValue, date1904);
  }
  if ('hyperlink' in value) {
    // A hyperlink's text may itself be rich text; mailto: links in an email column show the address.
    const text = (value as { text?: unknown }).text;
    return text === undefined ? String(value.hyperlink).replace(/^mailto:/i, '') : toSheetCell(text as ExcelValue, date1904);
  }
  return String(value as unknown);
}

/**
 * exceljs turns a date serial into a JS Date whose UTC fields are the digits Excel shows (Excel dates
 * have no zone). Those digits are the clinic's wall-clock time. Serials are binary fractions of a day,
 * so round to the second: 14:30 is often stored as 14:29:59.9996.
 */
function excelDateCell(date: Date): SheetCell {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const wall: WallClock = {
    year: rounded.getUTCFullYear(),
    month: rounded.getUTCMonth() + 1,
    day: rounded.getUTCDate(),
    hour: rounded.getUTCHours(),
    minute: rounded.getUTCMinutes(),
    second: rounded.getUTCSeconds(),
  };
  return { kind: 'date', wall, shownAs: rounded.toISOString().slice(0, 16).replace('T', ' ') };
}

/** An Excel date serial typed as a plain number (a date column without date formatting). */
export function excelSerialToWallClock(serial: number, date1904 = false): WallClock | null {
  // Excel's own range: 1900-01-01 .. 9999-12-31.
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const cell = excelDateCell(new Date(Math.round((serial - 25_569 + (date1904 ? 1_462 : 0)) * 86_400_000)));
  return typeof cell === 'object' && cell.kind === 'date' ? cell.wall : null;
}

export function cellText(cell: SheetCell): string {
  if (typeof cell === 'string') return cell;
  switch (cell.kind) {
    case 'date':
      return cell.shownAs;
    case 'number':
      return Number.isInteger(cell.value) ? cell.value.toFixed(0) : String(cell.value);
    case 'error':
      return cell.code;
  }
}
