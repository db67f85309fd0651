// Appointment files (.csv, .xlsx) -> validated rows ready for the store, plus one RowError per problem.
// Whole-file problems (unreadable, wrong type, a required column missing) throw ImportFileError;
// a bad row never stops the good ones.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../settings/schema';
import { createDateParser, type DateParser, type DateParseResult } from './appointment-date';
import { fileTooLargeMessage, importLimitsFrom, UNLIMITED, type ImportLimits } from './import-limits';
import { normalisePhoneNumber } from './phone-number';
import { readCsvRows, type ByteSource } from './read-csv-rows';
import { cellText, excelSerialToWallClock, readXlsxRows } from './read-xlsx-rows';
import { quoteFileText } from './safe-text';
import { ImportFileError, isBlankCell, type SheetCell, type SheetData, type SheetRow } from './sheet-rows';
import { fieldProblem } from './spoken-fields';
import { checkXlsxSizes } from './xlsx-zip-check';
import { DatePatternError } from './strftime-pattern';

export { ImportFileError } from './sheet-rows';

export interface ImportOptions {
  requiredColumns: string[];
  dateFormat: string;
  fallbackDateFormat: string;
  timezone: string;
  defaultRegion: string;
  /** import.* caps; none when absent. */
  limits?: ImportLimits;
}

/** The settings.yaml keys an import reads. */
export function importOptionsFrom(settings: Settings): ImportOptions {
  return {
    requiredColumns: settings.data.required_columns,
    dateFormat: settings.data.date_format,
    fallbackDateFormat: settings.data.fallback_date_format,
    timezone: settings.scheduling.timezone,
    defaultRegion: settings.phone.default_region,
    limits: importLimitsFrom(settings),
  };
}

export interface ImportedRow {
  line: number;
  externalId: string | null;
  name: string;
  phoneNumber: string; // E.164
  email: string | null;
  appointmentAt: string; // ISO 8601 with the clinic timezone's offset
  location: string | null;
  /** Optional `language` column: picks message.templates[language]. */
  language: string | null;
  /** Optional `timezone` column: the appointment time is read, and its reminders fall due, in this zone. */
  timezone: string | null;
  /** Optional `status` column reading "cancelled" (or "canceled"): the clinic cancelled it; nobody is called for it. */
  cancelled?: boolean;
  dedupeKey: string;
}

export interface RowError {
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportResult {
  format: 'csv' | 'xlsx';
  rows: ImportedRow[];
  /** One entry per problem, so a row with a bad phone and a bad date has two; rows skipped = totalRows - rows.length. */
  errors: RowError[];
  totalRows: number;
}

/** The columns every reminder needs, whatever `data.required_columns` says. */
const ALWAYS_REQUIRED = ['name', 'phone_number', 'appointment_date'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "Phone Number", "phone-number" and " PHONE_NUMBER " all name the column phone_number. */
export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function unreadable(file: string, error: unknown): ImportFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
  return new ImportFileError(`could not read ${file}: ${why}`);
}

/** Reads the file from disk: its size is checked before a byte is read, and a CSV is streamed. */
export async function readAppointmentsFile(file: string, opts: ImportOptions): Promise<ImportResult> {
  const fileName = path.basename(file);
  const limits = opts.limits ?? UNLIMITED;
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    throw unreadable(file, error);
  }
  if (size > limits.maxFileBytes) throw new ImportFileError(fileTooLargeMessage(fileName, size, limits));
  checkExtension(fileName);
  if (path.extname(fileName).toLowerCase() === '.csv') {
    const source: ByteSource = async function* () {
      try {
        for await (const chunk of createReadStream(file, { end: limits.maxFileBytes })) yield chunk as Buffer;
      } catch (error) {
        throw unreadable(file, error);
      }
    };
    return validateSheet(await readCsvRows(source, fileName, { maxRows: limits.maxRows, keepColumn: columnsUsedBy(opts) }), fileName, opts);
  }
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  return readAppointmentsBuffer(data, fileName, opts);
}

function checkExtension(fileName: string): void {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === '.csv' || extension === '.xlsx') return;
  if (extension === '.xls') {
    throw new ImportFileError(`${fileName} is an old .xls workbook, which is not supported: open it in Excel and save it as .xlsx or CSV`);
  }
  throw new ImportFileError(`${fileName} is not a supported file type: use a .csv or .xlsx file`);
}

export async function readAppointmentsBuffer(data: Buffer, fileName: string, opts: ImportOptions): Promise<ImportResult> {
  const limits = opts.limits ?? UNLIMITED;
  if (data.length > limits.maxFileBytes) throw new ImportFileError(fileTooLargeMessage(fileName, data.length, limits));
  checkExtension(fileName);
  let sheet: SheetData;
  if (path.extname(fileName).toLowerCase() === '.csv') sheet = await readCsvRows(data, fileName, { maxRows: limits.maxRows, keepColumn: columnsUsedBy(opts) });
  else {
    checkXlsxSizes(data, fileName, { maxSharedStringsBytes: limits.maxXlsxSharedStringsBytes, maxUncompressedBytes: limits.maxXlsxUncompressedBytes });
    sheet = await readXlsxRows(data, fileName, { maxRows: limits.maxRows });
  }
  return validateSheet(sheet, fileName, opts);
}

/** Columns read when a file has them. */
const OPTIONAL_COLUMNS = ['email', 'location', 'id', 'language', 'timezone', 'status'];

/** The columns validation reads; a CSV reader may drop the others' values as it goes. */
function columnsUsedBy(opts: ImportOptions): (header: string) => boolean {
  const used = new Set([...ALWAYS_REQUIRED, ...opts.requiredColumns.map(normaliseColumnName), ...OPTIONAL_COLUMNS]);
  return (header) => used.has(normaliseColumnName(header));
}

function validateSheet(sheet: SheetData, fileName: string, opts: ImportOptions): ImportResult {
  const parseDate = dateParserFor(opts);
  const columns = locateColumns(sheet, fileName, opts.requiredColumns);
  const rows: ImportedRow[] = [];
  const errors: RowError[] = [];
  const firstLineOfKey = new Map<string, number>();

  for (const sheetRow of sheet.rows) {
    const outcome = validateRow(sheetRow, columns, sheet, parseDate, opts);
    if ('errors' in outcome) {
      errors.push(...outcome.errors);
      continue;
    }
    const earlier = firstLineOfKey.get(outcome.row.dedupeKey);
    if (earlier !== undefined) {
      const byId = outcome.row.externalId !== null;
      errors.push({
        line: sheetRow.line,
        column: byId ? 'id' : null,
        value: byId ? outcome.row.externalId : null,
        reason: byId
          ? `duplicate of line ${earlier}: same id "${outcome.row.externalId}"`
          : `duplicate of line ${earlier}: same name, phone number and appointment time`,
      });
      continue;
    }
    firstLineOfKey.set(outcome.row.dedupeKey, sheetRow.line);
    rows.push(outcome.row);
  }
  return { format: sheet.format, rows, errors, totalRows: sheet.rows.length };
}

const zoneParsers = new Map<string, DateParser | null>();

/** A date parser for a row's own `timezone` column (cached per zone and formats), or null for an unknown zone. */
function parserForZone(opts: ImportOptions, zone: string): DateParser | null {
  const key = `${zone}\u0000${opts.dateFormat}\u0000${opts.fallbackDateFormat}`;
  if (!zoneParsers.has(key)) {
    let parser: DateParser | null;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      parser = dateParserFor({ ...opts, timezone: zone });
    } catch {
      parser = null;
    }
    zoneParsers.set(key, parser);
  }
  return zoneParsers.get(key) ?? null;
}

function dateParserFor(opts: ImportOptions): DateParser {
  try {
    return createDateParser([opts.dateFormat, opts.fallbackDateFormat], opts.timezone);
  } catch (error) {
    if (error instanceof DatePatternError) throw new ImportFileError(`settings data.date_format / data.fallback_date_format: ${error.message}`);
    throw error;
  }
}

/** Column name -> index in the row; checks required columns and rejects a column named twice. */
function locateColumns(sheet: SheetData, fileName: string, requiredColumns: string[]): Map<string, number> {
  const columns = new Map<string, number>();
  sheet.header.forEach((written, index) => {
    const name = normaliseColumnName(written);
    if (name === '') return;
    const earlier = columns.get(name);
    if (earlier !== undefined) {
      throw new ImportFileError(`${fileName} has the column "${quoteFileText(name)}" twice (columns ${earlier + 1} and ${index + 1}); remove or rename one`);
    }
    columns.set(name, index);
  });
  const required = [...new Set([...ALWAYS_REQUIRED, ...requiredColumns.map(normaliseColumnName)])];
  const missing = required.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    // The header is file text: cut and cleaned, so a 5 MB line or an escape sequence never reaches a terminal.
    const found = sheet.header.map((h) => quoteFileText(h, 40)).filter(Boolean);
    const shown = found.length > 20 ? [...found.slice(0, 20), `… (${found.length - 20} more)`] : found;
    const plural = missing.length > 1;
    throw new ImportFileError(
      `${fileName} is missing the required column${plural ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}. ` +
        `Columns found: ${shown.length > 0 ? shown.join(', ') : '(none)'}.`,
    );
  }
  return columns;
}

type RowOutcome = { row: ImportedRow } | { errors: RowError[] };

function validateRow(
  sheetRow: SheetRow,
  columns: Map<string, number>,
  sheet: SheetData,
  parseDate: DateParser,
  opts: ImportOptions,
): RowOutcome {
  const { line } = sheetRow;
  const errors: RowError[] = [];
  const fail = (column: string | null, value: string | null, reason: string): null => {
    // Values and reasons go to the UI, the terminal and logs: cut and cleaned (the checks below keep them short).
    errors.push({ line, column, value: value === null ? null : quoteFileText(value), reason: quoteFileText(reason, 300) });
    return null;
  };
  const required = new Set([...ALWAYS_REQUIRED, ...opts.requiredColumns.map(normaliseColumnName)]);

  const cellOf = (column: string): SheetCell | undefined => {
    const index = columns.get(column);
    return index === undefined ? undefined : sheetRow.cells[index];
  };
  /** The cell as trimmed text, or null when empty or unusable (an error is recorded for required/unusable cells). */
  const textOf = (column: string): string | null => {
    const cell = cellOf(column);
    if (cell !== undefined && typeof cell === 'object' && cell.kind === 'error') {
      return fail(column, cell.code, `${column} holds the spreadsheet error ${cell.code}`);
    }
    if (isBlankCell(cell)) return required.has(column) ? fail(column, null, `missing ${column}`) : null;
    const text = cellText(cell!).trim();
    const problem = fieldProblem(column, text);
    return problem ? fail(column, text, problem) : text;
  };

  if (sheetRow.extraValues > 0) {
    const width = sheet.header.length;
    fail(null, null, `has ${width + sheetRow.extraValues} values but the header has ${width} columns; a value containing a comma must be in double quotes`);
  }

  const nameText = textOf('name');
  const name = nameText === null ? null : collapseWhitespace(nameText);

  const phoneText = textOf('phone_number');
  let phoneNumber: string | null = null;
  if (phoneText !== null) {
    const phone = normalisePhoneNumber(phoneText, opts.defaultRegion);
    if (phone.ok) phoneNumber = phone.e164;
    else fail('phone_number', phoneText, phone.reason);
  }

  const emailText = textOf('email');
  if (emailText !== null && !EMAIL.test(emailText)) fail('email', emailText, `email "${emailText}" is not a valid email address`);

  const languageText = textOf('language');
  const language = languageText === null ? null : languageText.toLowerCase();
  if (language !== null && !/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(language)) fail('language', languageText, `language "${languageText}" is not a language code such as en or es`);
  const zoneText = textOf('timezone');
  const zoneParser = zoneText === null ? parseDate : parserForZone(opts, zoneText);
  if (zoneParser === null) fail('timezone', zoneText, `timezone "${zoneText}" is not an IANA time zone such as America/Chicago`);

  const dateCell = cellOf('appointment_date');
  const dateProblem = typeof dateCell === 'string' ? fieldProblem('appointment_date', dateCell.trim()) : null;
  const date = dateProblem ? { ok: false as const, reason: dateProblem } : parseDateCell(dateCell, sheet, zoneParser ?? parseDate);
  let appointmentAt: string | null = null;
  let instantMs = 0;
  if (date === 'blank') fail('appointment_date', null, 'missing appointment_date');
  else if (date.ok) {
    appointmentAt = date.iso;
    instantMs = date.instantMs;
  } else fail('appointment_date', textOrNull(cellOf('appointment_date')), date.reason);

  const locationText = textOf('location');
  const externalId = textOf('id');
  // Clinic exports mark cancelled appointments; a re-import then drops their pending reminders. Other statuses
  // (scheduled, confirmed, checked in) change nothing here.
  const statusText = textOf('status');
  const cancelled = statusText !== null && /^(cancell?ed|cancel)$/i.test(statusText.trim());

  // Optional columns listed in data.required_columns are checked by textOf; read the rest so they report too.
  for (const column of required) if (!ALWAYS_REQUIRED.includes(column) && !OPTIONAL_COLUMNS.includes(column)) textOf(column);

  if (errors.length > 0 || name === null || phoneNumber === null || appointmentAt === null) {
    return { errors };
  }
  return {
    row: {
      line,
      externalId,
      name,
      phoneNumber,
      email: emailText,
      appointmentAt,
      location: locationText === null ? null : collapseWhitespace(locationText),
      language,
      timezone: zoneText,
      ...(cancelled ? { cancelled } : {}),
      dedupeKey: dedupeKeyFor(externalId, name, phoneNumber, instantMs),
    },
  };
}

function parseDateCell(cell: SheetCell | undefined, sheet: SheetData, parseDate: DateParser): DateParseResult | 'blank' {
  if (cell === undefined || isBlankCell(cell)) return 'blank';
  if (typeof cell === 'string') return parseDate.parseText(cell);
  switch (cell.kind) {
    case 'date':
      return parseDate.parseWallClock(cell.wall, cell.shownAs);
    case 'number': {
      const wall = excelSerialToWallClock(cell.value, sheet.date1904);
      return wall
        ? parseDate.parseWallClock(wall, cellText(cell))
        : { ok: false, reason: `appointment_date ${cellText(cell)} is a number, not a date` };
    }
    case 'error':
      return { ok: false, reason: `appointment_date holds the spreadsheet error ${cell.code}` };
  }
}

function textOrNull(cell: SheetCell | undefined): string | null {
  return cell === undefined || isBlankCell(cell) ? null : cellText(cell).trim();
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The store upserts on this key, so re-importing a file updates rather than duplicates. A file's own
 * id wins; otherwise name (case, spacing and Unicode form ignored), phone and the appointment instant.
 */
export function dedupeKeyFor(externalId: string | null, name: string, phoneNumber: string, instantMs: number): string {
  if (externalId !== null) return `id:${externalId}`;
  const normalisedName = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const material = `${normalisedName}|${phoneNumber}|${new Date(instantMs).toISOString()}`;
  return `sha256:${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}
