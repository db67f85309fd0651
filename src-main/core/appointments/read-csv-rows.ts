// CSV -> SheetData with csv-parse. Line numbers are physical lines as an editor shows them (header = 1);
// a quoted value spanning lines is reported at the line where its row starts.

import { CsvError, parse } from 'csv-parse';
import { ImportFileError, isBlankCell, type SheetData, type SheetRow } from './sheet-rows';

/**
 * Excel on Windows saves "CSV" in the ANSI code page unless told "CSV UTF-8"; decoding such a file as
 * UTF-8 would turn "José" into "Jos\uFFFD". Valid UTF-8 is taken as UTF-8, anything else as Windows-1252.
 */
export function decodeCsvText(data: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    text = new TextDecoder('windows-1252').decode(data);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Comma, unless the header has none and uses semicolons (Excel in many European locales) or tabs. */
function detectDelimiter(headerLine: string): string {
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes(';')) return ';';
  if (headerLine.includes('\t')) return '\t';
  return ',';
}

export async function readCsvRows(data: Buffer, fileName: string): Promise<SheetData> {
  // One line-ending convention, so csv-parse's line count matches what an editor shows whatever mix
  // of CRLF / LF / CR the file has. Line breaks inside quoted values become plain \n.
  const text = decodeCsvText(data).replace(/\r\n?/g, '\n');
  const headerLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  // Tracked while parsing (not while iterating): a parse error discards records not yet consumed.
  let lastRecordEnd = 0;
  const parser = parse(text, {
    on_record: (record, context) => {
      lastRecordEnd = context.lines;
      return record;
    },
    delimiter: detectDelimiter(headerLine),
    info: true,
    raw: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A stray quote inside an unquoted value (Bob "Bobby" Smith) is kept as written instead of failing the file.
    relax_quotes: true,
  });

  let header: string[] | null = null;
  const rows: SheetRow[] = [];
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const line = info.lines - lineBreaksWithin(raw);
      if (record.every((value) => isBlankCell(value))) continue; // whitespace-only or ",,,," lines
      if (!header) {
        header = record;
        continue;
      }
      // Even a blank extra value counts: "Main, Street" unquoted shifts every later value one column right.
      rows.push({ line, cells: record.slice(0, header.length), extraValues: Math.max(0, record.length - header.length) });
    }
  } catch (error) {
    if (error instanceof CsvError) {
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        // csv-parse reports the end of the file; the person needs the row where the quote was opened.
        const lines = text.split('\n');
        let start = lastRecordEnd;
        while (start < lines.length && lines[start]!.trim() === '') start++;
        throw new ImportFileError(`${fileName} is not a readable CSV file: a quote (") in the row at line ${start + 1} is opened and never closed`);
      }
      const where = typeof error.lines === 'number' ? ` near line ${error.lines}` : '';
      throw new ImportFileError(`${fileName} is not a readable CSV file${where}: ${error.message}`);
    }
    throw error;
  }
  if (!header) throw new ImportFileError(`${fileName} is empty: expected a header row such as name,phone_number,appointment_date`);
  return { format: 'csv', header, rows, date1904: false };
}

/** Line breaks inside a record's raw text: the skipped blank lines before it and its trailing break don't count. */
function lineBreaksWithin(raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let count = 0;
  for (const char of body) if (char === '\n') count++;
  return count;
}
