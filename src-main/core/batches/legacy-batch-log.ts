import fs from 'node:fs/promises';
import path from 'node:path';
import { BATCH_LOG_COLUMNS, neutraliseFormula, type BatchLogRow } from './batch-log-csv';

// logging.batch_log_file: the predecessor appended every batch's rows to one CSV that clinics keep opening in their
// own spreadsheets. A new file gets the predecessor's twelve-column header once; an existing file keeps its own
// columns, read from its first line — the predecessor's earlier versions wrote eleven, without `location` — so
// appending never shifts a column under a clinic's formulas. Written like Python's csv module: no BOM, CRLF, quoted
// only when needed. Phone numbers and every other text cell are still neutralised against formula injection.

/** The predecessor's batch log header, in its order. */
export const LEGACY_BATCH_LOG_COLUMNS = BATCH_LOG_COLUMNS.slice(0, 12);

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header of an existing log (BOM and quotes removed), or null when the file does not exist or is empty. */
async function existingColumns(file: string): Promise<{ columns: string[]; eol: string; endsWithNewline: boolean } | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (text.trim() === '') return null;
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
  const columns = firstLine.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
  return { columns, eol: text.includes('\r\n') ? '\r\n' : '\n', endsWithNewline: /\n$/.test(text) };
}

/** The data folder holds a relative batch_log_file, like the predecessor's working directory did. */
export function resolveBatchLogFile(configured: string, dataDir: string): string {
  return path.isAbsolute(configured) ? configured : path.join(dataDir, configured);
}

/** Appends rows to the log in its own columns (a column we do not know stays empty); returns the columns used. */
export async function appendToBatchLog(file: string, rows: readonly BatchLogRow[]): Promise<{ columns: string[]; rows: number }> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const existing = await existingColumns(file);
  const columns = existing?.columns ?? [...LEGACY_BATCH_LOG_COLUMNS];
  const eol = existing?.eol ?? '\r\n';
  let out = existing ? (existing.endsWithNewline ? '' : eol) : `${columns.join(',')}${eol}`;
  for (const row of rows) {
    const values = row as Record<string, string | number | null>;
    out += `${columns.map((column) => csvCell(values[column])).join(',')}${eol}`;
  }
  await fs.appendFile(file, out, 'utf8');
  return { columns, rows: rows.length };
}
