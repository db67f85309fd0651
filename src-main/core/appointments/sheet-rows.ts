// What the CSV and XLSX readers hand to validation: the header as written and each data row's cells
// in header order, with the line/row number a person sees in a text editor or spreadsheet.

import type { WallClock } from '../vocabulary/clinic-time';

export type SheetCell =
  | string
  | { kind: 'date'; wall: WallClock; shownAs: string } // an Excel date cell: wall-clock time at the clinic
  | { kind: 'number'; value: number } // an Excel number cell
  | { kind: 'error'; code: string }; // an Excel error cell such as #N/A or #REF!

export interface SheetRow {
  line: number;
  cells: SheetCell[];
  /** CSV: values beyond the header's last column (an unquoted comma, usually). XLSX: always 0, cells without a header are ignored. */
  extraValues: number;
}

export interface SheetData {
  format: 'csv' | 'xlsx';
  header: string[];
  rows: SheetRow[];
  /** The workbook counts date serials from 1904 (old Mac Excel); only meaningful for xlsx. */
  date1904: boolean;
}

export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

export function isBlankCell(cell: SheetCell | undefined): boolean {
  return cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}
