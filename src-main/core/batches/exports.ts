import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import type { ExportFormat, FollowUpRow } from '../api/contract';
import type { Appointment, Batch, CallAttempt } from '../domain';
import { getAppointments } from '../store/appointments';
import { batchAttemptsPage } from '../store/call-attempts';
import type { Db } from '../store/database';
import { writeFileAtomically } from './atomic-file';
import { BATCH_LOG_COLUMNS, neutraliseFormula, toBatchLogRow, writeBatchLogCsv, type BatchLogColumn } from './batch-log-csv';
import { writeXlsx, type XlsxColumn, type XlsxColumnType, type XlsxRow } from './xlsx-sheet';

// The ONE export path (issue 8): the core writes every export file, CSV or Excel, of a batch's call log or of a
// needs-follow-up list; hosts (CLI, Electron's save dialog, the preview's download link) only choose where it goes.
// The default file name is made here and nowhere else.

export type ExportRequest =
  | { kind: 'batch-log'; batchId: string; format: ExportFormat }
  | { kind: 'follow-up'; batchId?: string | undefined; day?: string | undefined; format: ExportFormat };

/** An export request from a download link's query (the preview), or null when it names none. */
export function exportRequestFrom(query: URLSearchParams): ExportRequest | null {
  const format = query.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') return null;
  const batchId = query.get('batchId') ?? undefined;
  if (batchId !== undefined && (batchId.length === 0 || batchId.length > 64)) return null;
  const day = query.get('day') ?? undefined;
  if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const kind = query.get('kind');
  if (kind === 'batch-log') return batchId ? { kind, batchId, format } : null;
  if (kind === 'follow-up') return !!batchId !== !!day ? { kind, batchId, day, format } : null;
  return null;
}

/** Anything a file system might reject, replaced. */
function safePart(value: string): string {
  return value.replace(/[^\w.-]+/g, '-');
}

/** `reminder-log-<batch>.csv|.xlsx`, `follow-up-<day or batch>.csv|.xlsx`. */
export function exportFileName(request: ExportRequest): string {
  if (request.kind === 'batch-log') return `reminder-log-${safePart(request.batchId)}.${request.format}`;
  return `follow-up-${safePart(request.day ?? request.batchId ?? 'list')}.${request.format}`;
}

/** Where an export goes when the host does not choose: `<dataDir>/exports/<default name>`. */
export function defaultExportPath(dataDir: string, request: ExportRequest): string {
  return path.join(dataDir, 'exports', exportFileName(request));
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const PAGE_SIZE = 500;

/**
 * A batch's attempts with their appointments, a page at a time. Not one open SQLite iterator: the export awaits
 * the output stream between rows, and an iterator left open across awaits would block the callback server's
 * writes on the same connection ("connection is busy").
 */
export function* batchEntries(db: Db, batchId: string): Generator<{ attempt: CallAttempt; appointment: Appointment }> {
  let after = -1;
  for (;;) {
    const attempts = batchAttemptsPage(db, batchId, after, PAGE_SIZE);
    if (attempts.length === 0) return;
    const appointments = new Map(getAppointments(db, attempts.map((a) => a.appointmentId)).map((a) => [a.id, a]));
    for (const attempt of attempts) {
      const appointment = appointments.get(attempt.appointmentId);
      if (appointment) yield { attempt, appointment };
    }
    after = attempts[attempts.length - 1]!.position;
  }
}

// ---- batch log as Excel: the CSV's columns, typed -----------------------------------------------------------

const BATCH_LOG_TYPES: Partial<Record<BatchLogColumn, XlsxColumnType>> = {
  timestamp: 'datetime',
  appointment_date: 'datetime',
  started_at: 'datetime',
  ended_at: 'datetime',
  call_duration_seconds: 'number',
  call_duration_formatted: 'duration',
  attempts: 'number',
};
const BATCH_LOG_XLSX_COLUMNS: XlsxColumn<BatchLogColumn>[] = BATCH_LOG_COLUMNS.map((key) => ({
  key,
  header: key,
  type: BATCH_LOG_TYPES[key] ?? 'text',
  width: key === 'error_message' ? 50 : key === 'appointment_date' || key.endsWith('_at') || key === 'timestamp' ? 18 : undefined,
}));

function* batchLogXlsxRows(db: Db, batch: Batch, timezone: string): Generator<XlsxRow<BatchLogColumn>> {
  for (const { attempt, appointment } of batchEntries(db, batch.id)) {
    const row = toBatchLogRow(batch, attempt, appointment, timezone);
    yield {
      ...row,
      // Instants, not the CSV's text: the sheet shows them in the clinic's zone as real date-times.
      timestamp: attempt.dialStartedAt,
      appointment_date: appointment.appointmentAt,
      started_at: attempt.startedAt,
      ended_at: attempt.endedAt,
      call_duration_formatted: row.call_duration_seconds,
    };
  }
}

// ---- the needs-follow-up list --------------------------------------------------------------------------------

export const FOLLOW_UP_COLUMNS = ['name', 'phone_number', 'appointment_date', 'location', 'follow_up', 'reason', 'last_call_at', 'batch_id'] as const;
type FollowUpColumn = (typeof FOLLOW_UP_COLUMNS)[number];

const NOT_REACHED_WORDS: Record<NonNullable<FollowUpRow['notReachedBy']>, string> = {
  busy: 'Not reached: busy',
  'no-answer': 'Not reached: no answer',
  failed: 'Not reached: the call failed',
  'not-placed': 'Not reached: the call could not be placed',
};

function followUpRecord(row: FollowUpRow): XlsxRow<FollowUpColumn> {
  return {
    name: row.name,
    phone_number: row.phoneNumber,
    appointment_date: row.appointmentAt,
    location: row.location,
    follow_up: row.outcome === 'cancelled' ? 'Reschedule' : 'Call back',
    reason: row.outcome === 'cancelled' ? 'Cancelled (needs rescheduling)' : NOT_REACHED_WORDS[row.notReachedBy ?? 'failed'],
    last_call_at: row.lastCallAt,
    batch_id: row.batchId,
  };
}

const FOLLOW_UP_XLSX_COLUMNS: XlsxColumn<FollowUpColumn>[] = [
  { key: 'name', header: 'Name', type: 'text', width: 24 },
  { key: 'phone_number', header: 'Phone number', type: 'text', width: 16 },
  { key: 'appointment_date', header: 'Appointment', type: 'datetime', width: 18 },
  { key: 'location', header: 'Location', type: 'text', width: 20 },
  { key: 'follow_up', header: 'To do', type: 'text', width: 12 },
  { key: 'reason', header: 'Why', type: 'text', width: 34 },
  { key: 'last_call_at', header: 'Last call', type: 'datetime', width: 18 },
  { key: 'batch_id', header: 'Batch', type: 'text', width: 22 },
];

// ---- writing ---------------------------------------------------------------------------------------------------

export interface ExportSource {
  db: Db;
  timezone: string;
  /** The batch of a batch-log export. */
  batch?: Batch;
  /** The rows of a follow-up export (results/results.ts). */
  followUp?: readonly FollowUpRow[];
}

async function writeTo(request: ExportRequest, source: ExportSource, out: NodeJS.WritableStream): Promise<{ rows: number }> {
  const { db, timezone } = source;
  if (request.kind === 'batch-log') {
    const batch = source.batch;
    if (!batch) throw new Error(`There is no batch ${request.batchId}`);
    if (request.format === 'xlsx') return writeXlsx({ name: 'Reminder calls', columns: BATCH_LOG_XLSX_COLUMNS, rows: batchLogXlsxRows(db, batch, timezone) }, out, timezone);
    const rows = (function* () {
      for (const { attempt, appointment } of batchEntries(db, batch.id)) yield toBatchLogRow(batch, attempt, appointment, timezone);
    })();
    return writeBatchLogCsv(rows, out);
  }
  const records = (source.followUp ?? []).map(followUpRecord);
  if (request.format === 'xlsx') return writeXlsx({ name: 'Needs follow-up', columns: FOLLOW_UP_XLSX_COLUMNS, rows: records }, out, timezone);
  const stringifier = stringify({ bom: true, header: true, columns: [...FOLLOW_UP_COLUMNS], record_delimiter: '\r\n' });
  const csvRows = records.map((r) =>
    FOLLOW_UP_COLUMNS.map((c) => {
      const value = c === 'appointment_date' || c === 'last_call_at' ? clinicText(r[c], timezone) : r[c];
      return value === null ? '' : typeof value === 'number' ? value : neutraliseFormula(value);
    }),
  );
  await pipeline(Readable.from(csvRows), stringifier, out);
  return { rows: csvRows.length };
}

function clinicText(iso: string | number | null, timezone: string): string | null {
  if (typeof iso !== 'string') return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** Writes an export to a file (atomically: a crash leaves the previous one intact) or into a stream (a download). */
export async function writeExport(
  request: ExportRequest,
  source: ExportSource,
  target: string | NodeJS.WritableStream,
): Promise<{ rows: number; savedTo: string | null }> {
  if (typeof target !== 'string') return { ...(await writeTo(request, source, target)), savedTo: null };
  const file = path.resolve(target);
  return { ...(await writeFileAtomically(file, (out) => writeTo(request, source, out))), savedTo: file };
}
