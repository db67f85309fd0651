import { parse } from 'csv-parse/sync';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Batch, CallAttempt } from '../../../src-main/core/domain';
import {
  BATCH_LOG_COLUMNS,
  formatDuration,
  neutraliseFormula,
  toBatchLogRow,
  writeBatchLogCsv,
  writeBatchLogCsvFile,
  type BatchLogRow,
} from '../../../src-main/core/batches/batch-log-csv';

const TZ = 'America/New_York';

const batch: Batch = {
  id: 'b-20261124-1',
  state: 'completed',
  simulated: true,
  createdAt: '2026-11-24T14:00:00.000Z',
  finishedAt: '2026-11-24T14:10:00.000Z',
  waitDeadline: null,
  total: 3,
};

const appointment: Appointment = {
  id: 7,
  externalId: 'A-1001',
  name: 'Maria Delgado',
  phoneNumber: '+12125550100',
  email: null,
  appointmentAt: '2026-11-25T14:30:00-05:00',
  location: 'Riverside Office, Suite 200',
  confirmation: null,
  confirmedAt: null,
  language: null,
  timezone: null,
  importedAt: '2026-11-24T13:00:00.000Z',
};

function attempt(overrides: Partial<CallAttempt> = {}): CallAttempt {
  return {
    id: 1,
    batchId: batch.id,
    appointmentId: appointment.id,
    position: 0,
    attemptNumber: 1,
    retryAt: null,
    state: 'placed',
    callSid: 'CA0123456789abcdef0123456789abcdef',
    statusCallbackUrl: 'https://abc123.ngrok.io/status',
    twimlUrl: null,
    fromNumber: '+15005550006',
    toNumber: '+12125550100',
    dialStartedAt: '2026-11-24T14:00:05.000Z',
    status: 'completed',
    isFinal: true,
    statusSource: 'callback',
    lastSequenceNumber: 3,
    answered: true,
    answeredBy: 'human',
    durationSeconds: 65,
    errorCode: null,
    errorMessage: null,
    confirmation: 'confirmed',
    confirmedAt: null,
    keypadReprompts: 0,
    attempts: 1,
    createdAt: '2026-11-24T14:00:04.000Z',
    startedAt: '2026-11-24T14:00:09.000Z',
    endedAt: '2026-11-24T14:01:14.000Z',
    updatedAt: '2026-11-24T14:01:14.000Z',
    ...overrides,
  };
}

async function toText(rows: Iterable<BatchLogRow> | AsyncIterable<BatchLogRow>): Promise<{ text: string; bytes: Buffer; rows: number }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  const result = await writeBatchLogCsv(rows, sink);
  const bytes = Buffer.concat(chunks);
  return { bytes, text: bytes.toString('utf8'), rows: result.rows };
}

function emptyRow(overrides: Partial<BatchLogRow>): BatchLogRow {
  const row = Object.fromEntries(BATCH_LOG_COLUMNS.map((c) => [c, null])) as BatchLogRow;
  return { ...row, ...overrides };
}

describe('toBatchLogRow', () => {
  it('maps an answered, confirmed call with clinic-local times and the full phone number', () => {
    expect(toBatchLogRow(batch, attempt(), appointment, TZ)).toEqual({
      batch_id: 'b-20261124-1',
      timestamp: '2026-11-24T09:00:05-05:00',
      name: 'Maria Delgado',
      phone_number: '+12125550100',
      appointment_date: '2026-11-25 14:30',
      location: 'Riverside Office, Suite 200',
      call_answered: 'Yes',
      call_status: 'completed',
      call_duration_seconds: 65,
      call_duration_formatted: '0:01:05',
      call_id: 'CA0123456789abcdef0123456789abcdef',
      error_message: null,
      answered_by: 'human',
      confirmation: 'confirmed',
      attempts: 1,
      status_source: 'callback',
      started_at: '2026-11-24T09:00:09-05:00',
      ended_at: '2026-11-24T09:01:14-05:00',
    });
  });

  it('says No for a call that never reached in-progress, and keeps Twilio final statuses and errors', () => {
    const busy = toBatchLogRow(batch, attempt({ status: 'busy', answered: false, durationSeconds: 0, answeredBy: null, confirmation: null }), appointment, TZ);
    expect([busy.call_answered, busy.call_status, busy.call_duration_seconds, busy.call_duration_formatted]).toEqual(['No', 'busy', 0, '0:00:00']);
    const failed = toBatchLogRow(
      batch,
      attempt({ status: 'failed', answered: false, errorCode: '32009', errorMessage: 'Carrier unreachable', statusSource: 'poll' }),
      appointment,
      TZ,
    );
    expect([failed.call_status, failed.error_message, failed.status_source]).toEqual(['failed', '32009: Carrier unreachable', 'poll']);
  });

  it('makes a call that is not final explicit', () => {
    const ringing = toBatchLogRow(
      batch,
      attempt({ status: 'ringing', isFinal: false, answered: false, durationSeconds: null, endedAt: null, confirmation: null }),
      appointment,
      TZ,
    );
    expect(ringing).toMatchObject({
      call_answered: 'No',
      call_status: 'ringing',
      error_message: 'still open: last status ringing',
      call_duration_seconds: null,
      call_duration_formatted: null,
      ended_at: null,
    });
    const inProgress = toBatchLogRow(batch, attempt({ status: 'in-progress', isFinal: false, durationSeconds: null }), appointment, TZ);
    expect([inProgress.call_answered, inProgress.error_message]).toEqual(['Yes', 'still open: last status in-progress']);
  });

  it('shows our own state for calls Twilio never created', () => {
    const rejected = toBatchLogRow(
      batch,
      attempt({ state: 'rejected', callSid: null, status: null, answered: false, errorCode: '21211', errorMessage: "Invalid 'To' Phone Number", durationSeconds: null, statusSource: null }),
      appointment,
      TZ,
    );
    expect(rejected).toMatchObject({ call_status: 'rejected', call_id: null, error_message: "21211: Invalid 'To' Phone Number", call_answered: 'No' });
    const skipped = toBatchLogRow(batch, attempt({ state: 'skipped', callSid: null, status: null, answered: false, dialStartedAt: null }), appointment, TZ);
    expect(skipped).toMatchObject({ call_status: 'skipped', error_message: 'not dialled: the batch was cancelled first', timestamp: null });
  });

  it('formats durations as H:MM:SS', () => {
    expect(formatDuration(0)).toBe('0:00:00');
    expect(formatDuration(65)).toBe('0:01:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(36_000)).toBe('10:00:00');
  });
});

describe('writeBatchLogCsv', () => {
  it('writes a UTF-8 BOM, the header in contract order and CRLF line endings', async () => {
    const { bytes, text, rows } = await toText([toBatchLogRow(batch, attempt(), appointment, TZ)]);
    expect(rows).toBe(1);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'batch_id,timestamp,name,phone_number,appointment_date,location,call_answered,call_status,call_duration_seconds,call_duration_formatted,call_id,error_message,answered_by,confirmation,attempts,status_source,started_at,ended_at',
    );
    expect(lines).toHaveLength(3); // header, one row, the empty string after the final CRLF
    expect(lines[2]).toBe('');
    expect(text).not.toMatch(/[^\r]\n/);
    expect(lines[1]).toBe(
      "b-20261124-1,2026-11-24T09:00:05-05:00,Maria Delgado,'+12125550100,2026-11-25 14:30,\"Riverside Office, Suite 200\",Yes,completed,65,0:01:05,CA0123456789abcdef0123456789abcdef,,human,confirmed,1,callback,2026-11-24T09:00:09-05:00,2026-11-24T09:01:14-05:00",
    );
  });

  it('neutralises every formula trigger: = + - @ tab and CR', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(neutraliseFormula('+12125550100')).toBe("'+12125550100");
    expect(neutraliseFormula('-2+3')).toBe("'-2+3");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('\t=1')).toBe("'\t=1");
    expect(neutraliseFormula('\r=1')).toBe("'\r=1");
    expect(neutraliseFormula('Ann = Bob')).toBe('Ann = Bob');
    expect(neutraliseFormula('')).toBe('');
  });

  it('quotes commas, quotes and newlines, and round-trips through csv-parse', async () => {
    const tricky: BatchLogRow[] = [
      emptyRow({ batch_id: 'b1', name: 'O\'Brien, "Pat"', location: 'Line one\r\nLine two', error_message: 'a\nb', attempts: 2 }),
      emptyRow({ batch_id: 'b1', name: '=cmd|\' /C calc\'!A0', phone_number: '+442079460958', location: '@here', answered_by: '-x', error_message: '\tTab', call_id: '\rCR' }),
      emptyRow({ batch_id: 'b1', name: 'José Müller 山田', call_duration_seconds: 0, confirmation: 'cancelled' }),
    ];
    const { text } = await toText(tricky);
    const parsed = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(parsed[0]!)).toEqual([...BATCH_LOG_COLUMNS]);
    const expected = tricky.map((row) =>
      Object.fromEntries(
        BATCH_LOG_COLUMNS.map((column) => {
          const value = row[column];
          return [column, value === null ? '' : typeof value === 'number' ? String(value) : neutraliseFormula(value)];
        }),
      ),
    );
    expect(parsed).toEqual(expected);
    expect(parsed[1]!.name).toBe("'=cmd|' /C calc'!A0");
    expect(parsed[1]!.call_id).toBe("'\rCR");
    expect(parsed[0]!.location).toBe('Line one\r\nLine two');
  });

  it('streams 50,000 rows from an async generator, pulling rows only as output is flushed', async () => {
    let rowsFlushed = 0;
    let bytesFlushed = 0;
    let tail = '';
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        bytesFlushed += chunk.length;
        const text = tail + chunk.toString('utf8');
        rowsFlushed += text.split('\r\n').length - 1;
        tail = text.endsWith('\r') ? '\r' : '';
        setImmediate(callback); // a slow disk: forces backpressure
      },
    });
    let maxRowsAhead = 0;
    let bytesFlushedHalfway = -1;
    async function* rows(): AsyncGenerator<BatchLogRow> {
      for (let i = 0; i < 50_000; i++) {
        maxRowsAhead = Math.max(maxRowsAhead, i - rowsFlushed);
        if (i === 25_000) bytesFlushedHalfway = bytesFlushed;
        yield emptyRow({ batch_id: 'b-big', name: `Patient ${i}`, phone_number: `+1212555${String(i % 10_000).padStart(4, '0')}`, attempts: 1 });
      }
    }
    const result = await writeBatchLogCsv(rows(), sink);
    expect(result.rows).toBe(50_000);
    expect(rowsFlushed).toBe(50_001); // header + rows
    expect(bytesFlushedHalfway).toBeGreaterThan(0);
    // Only a few buffers' worth of rows are ever ahead of the disk; building the file first would be 50,000.
    expect(maxRowsAhead).toBeLessThan(2_000);
  });
});

describe('writeBatchLogCsvFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'batch-log-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the file and leaves no temp file behind', async () => {
    const file = path.join(dir, 'log.csv');
    const result = await writeBatchLogCsvFile([toBatchLogRow(batch, attempt(), appointment, TZ)], file);
    expect(result.rows).toBe(1);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFFbatch_id,timestamp,')).toBe(true);
    expect(await readdir(dir)).toEqual(['log.csv']);
  });

  it('keeps the previous export intact when writing fails midway', async () => {
    const file = path.join(dir, 'keep.csv');
    await writeFile(file, 'previous export\r\n');
    async function* failing(): AsyncGenerator<BatchLogRow> {
      yield emptyRow({ batch_id: 'b1' });
      throw new Error('store went away');
    }
    await expect(writeBatchLogCsvFile(failing(), file)).rejects.toThrow('store went away');
    expect(await readFile(file, 'utf8')).toBe('previous export\r\n');
    expect((await readdir(dir)).sort()).toEqual(['keep.csv', 'log.csv']);
  });
});
