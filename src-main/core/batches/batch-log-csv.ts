// The batch log a clinic manager opens in Excel. Column names and order are a contract with clinics'
// own spreadsheets: the Python predecessor's twelve columns first, then the new ones.
//
// Format: UTF-8 with a BOM (so Excel detects UTF-8), CRLF line endings, a header row, RFC 4180 quoting.
// - call_duration_formatted is H:MM:SS (0:01:05; 1:02:03 past an hour); empty when Twilio gave no duration.
// - timestamp (when the call was placed), started_at and ended_at are ISO 8601 in the clinic's zone with
//   its offset; appointment_date is "YYYY-MM-DD HH:MM" clinic wall-clock time.
// - call_status is Twilio's final status. A call still open when the log is written shows its last
//   status and error_message says "still open: last status X". A call Twilio never created shows our
//   own state instead: rejected (Twilio refused it; error_message says why), skipped (error_message: the rule,
//   e.g. "do-not-call list"), pending, dialing.
// - A reminder retried (busy, no answer) has one row: its last call's status; `attempts` counts the calls.
// - confirmation: confirmed, cancelled or opted_out (pressed 9).
// - Formula injection (OWASP "CSV Injection"): any text cell starting with = + - @ tab or CR gets a
//   leading apostrophe. That includes every E.164 phone number (+1...): Excel then shows it as text,
//   which is what a clinic wants anyway (no 1.21E+10, no lost leading +).

import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { formatInstantInZone, wallClockAt } from '../vocabulary/clinic-time';
import { isFinalStatus } from '../calls/call-status';
import type { Appointment, Batch, CallAttempt } from '../domain';

export const BATCH_LOG_COLUMNS = [
  'batch_id',
  'timestamp',
  'name',
  'phone_number',
  'appointment_date',
  'location',
  'call_answered',
  'call_status',
  'call_duration_seconds',
  'call_duration_formatted',
  'call_id',
  'error_message',
  'answered_by',
  'confirmation',
  'attempts',
  'status_source',
  'started_at',
  'ended_at',
] as const;

export type BatchLogColumn = (typeof BATCH_LOG_COLUMNS)[number];
export type BatchLogRow = Record<BatchLogColumn, string | number | null>;
export type BatchLogRows = Iterable<BatchLogRow> | AsyncIterable<BatchLogRow>;

const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes an apostrophe when a spreadsheet would read the cell as a formula. */
export function neutraliseFormula(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0]!) ? `'${value}` : value;
}

/** 65 -> "0:01:05"; 3723 -> "1:02:03". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** An ISO timestamp from the store, re-expressed in the clinic's zone; unparseable text passes through. */
function inClinicZone(iso: string | null, timezone: string): string | null {
  if (!iso) return null;
  const instantMs = Date.parse(iso);
  return Number.isNaN(instantMs) ? iso : formatInstantInZone(instantMs, timezone);
}

function appointmentWallClock(iso: string, timezone: string): string {
  const instantMs = Date.parse(iso);
  if (Number.isNaN(instantMs)) return iso;
  const w = wallClockAt(instantMs, timezone);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

function statusAndError(attempt: CallAttempt): { status: string; error: string | null } {
  const twilioError = [attempt.errorCode, attempt.errorMessage].filter(Boolean).join(': ') || null;
  if (attempt.status === null) {
    // Twilio never reported on this call: our own attempt state says why.
    const why: Record<CallAttempt['state'], string | null> = {
      pending: 'not dialled yet',
      dialing: 'still open: dialling, no status received yet',
      placed: 'still open: placed, no status received yet',
      rejected: null,
      // A rule's reason (do-not-call list, appointment passed) is in error_message; none means a cancelled batch.
      skipped: attempt.errorMessage ? null : 'not dialled: the batch was cancelled first',
    };
    return { status: attempt.state, error: [why[attempt.state], twilioError].filter(Boolean).join('; ') || null };
  }
  if (isFinalStatus(attempt.status)) return { status: attempt.status, error: twilioError };
  const open = `still open: last status ${attempt.status}`;
  return { status: attempt.status, error: twilioError ? `${open}; ${twilioError}` : open };
}

/** `calls`: how many calls the reminder took (retries included); without it, the attempt's own create tries. */
export function toBatchLogRow(batch: Batch, attempt: CallAttempt, appointment: Appointment, timezone: string, calls?: number): BatchLogRow {
  const { status, error } = statusAndError(attempt);
  const duration = attempt.durationSeconds === null ? null : Math.max(0, Math.round(attempt.durationSeconds));
  return {
    batch_id: batch.id,
    timestamp: inClinicZone(attempt.dialStartedAt, timezone),
    name: appointment.name,
    phone_number: appointment.phoneNumber,
    appointment_date: appointmentWallClock(appointment.appointmentAt, timezone),
    location: appointment.location,
    call_answered: attempt.answered ? 'Yes' : 'No',
    call_status: status,
    call_duration_seconds: duration,
    call_duration_formatted: duration === null ? null : formatDuration(duration),
    call_id: attempt.callSid,
    error_message: error,
    answered_by: attempt.answeredBy,
    confirmation: attempt.confirmation,
    attempts: calls ?? attempt.attempts,
    status_source: attempt.statusSource,
    started_at: inClinicZone(attempt.startedAt, timezone),
    ended_at: inClinicZone(attempt.endedAt, timezone),
  };
}

async function* neutralisedRecords(rows: BatchLogRows, counter: { rows: number }): AsyncGenerator<(string | number)[]> {
  for await (const row of rows) {
    counter.rows++;
    yield BATCH_LOG_COLUMNS.map((column) => {
      const value = row[column];
      if (value === null || value === undefined) return '';
      return typeof value === 'number' ? value : neutraliseFormula(value);
    });
  }
}

/**
 * Streams rows to `out` as CSV. Rows are pulled from the (async) iterable only as fast as `out`
 * accepts bytes, so a 50k-row log never sits in memory as one string. Ends `out` unless `end: false`.
 */
export async function writeBatchLogCsv(
  rows: BatchLogRows,
  out: NodeJS.WritableStream,
  options: { end?: boolean } = {},
): Promise<{ rows: number }> {
  const counter = { rows: 0 };
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: [...BATCH_LOG_COLUMNS],
    record_delimiter: '\r\n',
  });
  await pipeline(Readable.from(neutralisedRecords(rows, counter)), stringifier, out, { end: options.end ?? true });
  return { rows: counter.rows };
}

/**
 * Writes the log to `file` atomically: a temp file in the same folder, flushed to disk, then renamed
 * over the target. A crash or a full disk leaves the previous export intact, never half a file.
 */
export async function writeBatchLogCsvFile(rows: BatchLogRows, file: string): Promise<{ rows: number }> {
  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const result = await writeBatchLogCsv(rows, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
        throw new Error(`could not replace ${file} (${code}): is it open in Excel? Close it and export again`, { cause: error });
      }
      throw error;
    }
    return result;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
