// CSV -> SheetData with csv-parse, streamed: the file is never held as one string, and the row cap stops the
// read as soon as it is passed. Line numbers are physical lines as an editor shows them (header = 1); a quoted
// value spanning lines is reported at the line where its row starts.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Parser } from 'csv-parse';
import { decodeCsvChunks, NotUtf8Error, readHead, sniffEncoding, type ByteSource, type CsvEncoding } from './csv-decoding';
import { quoteFileText } from './safe-text';
import { ImportFileError, isBlankCell, type SheetData, type SheetRow } from './sheet-rows';

export { type ByteSource } from './csv-decoding';

/** A header line longer than this is not a header (a binary file, or one giant line): refuse before buffering more. */
const MAX_HEADER_CHARS = 64 * 1024;
/** One row's raw text: a clinic row is a few hundred characters; a row past this (csv-parse would buffer it without end) refuses the file. A merely oversized value (a 100,000-character name) is refused for its row, with its line. */
const MAX_RECORD_CHARS = 1024 * 1024;

export interface CsvReadLimits {
  /** Data rows (the header not counted) beyond which the file is refused. */
  maxRows: number;
  /**
   * Whether a column's values are needed (by its header text). Values of other columns (notes, billing codes...)
   * are dropped as rows are read, so a file padded with wide columns costs no memory.
   */
  keepColumn?: (header: string) => boolean;
}

/** The source as 1 MB slices of an in-memory buffer (an upload from the UI). */
export function bufferSource(data: Buffer): ByteSource {
  return async function* () {
    for (let offset = 0; offset < data.length; offset += 1 << 20) yield data.subarray(offset, offset + (1 << 20));
  };
}

export async function readCsvRows(source: ByteSource | Buffer, fileName: string, limits: CsvReadLimits = { maxRows: Infinity }): Promise<SheetData> {
  const bytes = Buffer.isBuffer(source) ? bufferSource(source) : source;
  const guess = sniffEncoding(await readHead(bytes));
  try {
    return await readDecoded(bytes, guess, fileName, limits);
  } catch (error) {
    // Excel on Windows saves "CSV" in the ANSI code page unless told "CSV UTF-8": decoding it as UTF-8
    // would turn "José" into "Jos\uFFFD". Valid UTF-8 is taken as UTF-8, anything else as Windows-1252.
    if (error instanceof NotUtf8Error) return readDecoded(bytes, 'windows-1252', fileName, limits);
    throw error;
  }
}

/** Comma, unless the header has none and uses semicolons (Excel in many European locales) or tabs. */
function detectDelimiter(headerLine: string): string {
  if (headerLine.includes(',')) return ',';
  if (headerLine.includes(';')) return ';';
  if (headerLine.includes('\t')) return '\t';
  return ',';
}

/** Reads text until the first non-blank line is complete, then replays it ahead of the rest. */
async function peekHeaderLine(texts: AsyncGenerator<string>, fileName: string): Promise<{ headerLine: string; replay: AsyncGenerator<string> }> {
  const seen: string[] = [];
  let joined = '';
  let headerLine: string | null = null;
  while (headerLine === null) {
    const next = await texts.next();
    if (next.done) {
      headerLine = joined.split('\n').find((line) => line.trim() !== '') ?? '';
      break;
    }
    seen.push(next.value);
    joined += next.value;
    const lines = joined.split('\n');
    const complete = lines.slice(0, -1).find((line) => line.trim() !== '');
    if (complete !== undefined) headerLine = complete;
    else if (joined.length > MAX_HEADER_CHARS) {
      await texts.return(undefined);
      throw new ImportFileError(`${fileName} is not a readable CSV file: its first line is longer than ${MAX_HEADER_CHARS} characters`);
    }
  }
  async function* replay(): AsyncGenerator<string> {
    yield* seen;
    yield* texts;
  }
  return { headerLine, replay: replay() };
}

async function readDecoded(bytes: ByteSource, encoding: CsvEncoding, fileName: string, limits: CsvReadLimits): Promise<SheetData> {
  const { headerLine, replay } = await peekHeaderLine(decodeCsvChunks(bytes, encoding), fileName);
  // Tracked while parsing (not while iterating): a parse error discards records not yet consumed.
  let lastRecordEnd = 0;
  const parser: Parser = parse({
    on_record: (record, context) => {
      lastRecordEnd = context.lines;
      return record;
    },
    delimiter: detectDelimiter(headerLine),
    info: true,
    raw: true,
    // Blank lines come through as records (and are skipped below) so lastRecordEnd counts them too.
    skip_empty_lines: false,
    relax_column_count: true,
    // A stray quote inside an unquoted value (Bob "Bobby" Smith) is kept as written instead of failing the file.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const feeding = pipeline(Readable.from(replay), parser);
  feeding.catch(() => undefined); // the same error reaches the loop below through the parser

  let header: string[] | null = null;
  let dropped: number[] = [];
  const rows: SheetRow[] = [];
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
      const line = info.lines - lineBreaksWithin(raw);
      if (record.every((value) => isBlankCell(value))) continue; // blank, whitespace-only or ",,,," lines
      if (!header) {
        header = record;
        const keep = limits.keepColumn;
        dropped = keep ? header.flatMap((name, index) => (keep(name) ? [] : [index])) : [];
        continue;
      }
      if (rows.length >= limits.maxRows) {
        throw new ImportFileError(
          `${fileName} has more than ${limits.maxRows.toLocaleString('en-US')} appointment rows, the most one import takes (import.max_rows). ` +
            'Split the file, or raise import.max_rows in the settings.',
        );
      }
      const cells = record.slice(0, header.length);
      for (const index of dropped) if (index < cells.length) cells[index] = '';
      // Even a blank extra value counts: "Main, Street" unquoted shifts every later value one column right.
      rows.push({ line, cells, extraValues: Math.max(0, record.length - header.length) });
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof NotUtf8Error || error instanceof ImportFileError) throw error;
    if (error instanceof CsvError) {
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        // csv-parse reports the end of the file; the person needs the row where the quote was opened.
        throw new ImportFileError(`${fileName} is not a readable CSV file: a quote (") in the row at line ${lastRecordEnd + 1} is opened and never closed`);
      }
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        throw new ImportFileError(`${fileName} is not a readable CSV file: the row at line ${lastRecordEnd + 1} is longer than ${MAX_RECORD_CHARS} characters`);
      }
      const where = typeof error.lines === 'number' ? ` near line ${error.lines}` : '';
      throw new ImportFileError(`${fileName} is not a readable CSV file${where}: ${quoteFileText(error.message, 200)}`);
    }
    throw error;
  }
  if (!header) throw new ImportFileError(`${fileName} is empty: expected a header row such as name,phone_number,appointment_date`);
  return { format: 'csv', header, rows, date1904: false };
}

/** Line breaks inside a record's raw text: its trailing break doesn't count. */
function lineBreaksWithin(raw: string): number {
  const body = raw.replace(/\n$/, '');
  let count = 0;
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) count++;
  return count;
}
