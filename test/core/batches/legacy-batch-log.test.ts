import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderReminderMessage } from '../../../src-main/core/appointments/reminder-message';
import { appendToBatchLog, LEGACY_BATCH_LOG_COLUMNS, resolveBatchLogFile } from '../../../src-main/core/batches/legacy-batch-log';
import type { BatchLogRow } from '../../../src-main/core/batches/batch-log-csv';
import { loadSettings } from '../../../src-main/core/settings/load-settings';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-legacy-log-'));
  dirs.push(dir);
  return dir;
}

function row(overrides: Partial<BatchLogRow> = {}): BatchLogRow {
  return {
    batch_id: 'b1',
    timestamp: '2030-01-14T10:00:04-05:00',
    name: 'Priya Raman',
    phone_number: '+13125550102',
    appointment_date: '2030-01-15 10:15',
    location: 'Riverside Office, Suite 200',
    call_answered: 'Yes',
    call_status: 'completed',
    call_duration_seconds: 41,
    call_duration_formatted: '0:00:41',
    call_id: 'CA0123',
    error_message: null,
    answered_by: 'human',
    confirmation: 'confirmed',
    attempts: 1,
    status_source: 'callback',
    started_at: null,
    ended_at: null,
    ...overrides,
  };
}

describe('the predecessor settings file', () => {
  it('loads with {location_text} and logging.batch_log_file, and {location_text} says " at <location>" or nothing', () => {
    const { settings, warnings } = loadSettings(path.join(FIXTURES, 'legacy-settings-full.yaml'));
    expect(warnings).toEqual([]);
    expect(settings.logging.batch_log_file).toBe('logs/batch_log.csv');
    const template = settings.message.message_template;
    const appt = { name: 'Maria Delgado', appointmentAt: '2030-01-15T09:00:00-06:00' };
    expect(renderReminderMessage(template, { ...appt, location: 'Main Street Clinic' }, 'America/Chicago')).toBe(
      'Hello Maria Delgado, this is a reminder about your appointment on Tuesday, January 15 at 9:00 AM at Main Street Clinic. Press 1 to confirm or 2 to cancel.',
    );
    expect(renderReminderMessage(template, { ...appt, location: null }, 'America/Chicago')).toBe(
      'Hello Maria Delgado, this is a reminder about your appointment on Tuesday, January 15 at 9:00 AM. Press 1 to confirm or 2 to cancel.',
    );
    expect(resolveBatchLogFile('logs/batch_log.csv', '/data')).toBe(path.join('/data', 'logs/batch_log.csv'));
    expect(resolveBatchLogFile('/var/log/clinic.csv', '/data')).toBe('/var/log/clinic.csv');
  });
});

describe('logging.batch_log_file', () => {
  it('a new file gets the legacy header once, then every batch\'s rows (CRLF, no BOM, quoted, formulas neutralised)', async () => {
    const file = path.join(tmp(), 'logs', 'batch_log.csv');
    await appendToBatchLog(file, [row()]);
    await appendToBatchLog(file, [row({ batch_id: 'b2', name: '=HYPERLINK("x")' })]);
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe(LEGACY_BATCH_LOG_COLUMNS.join(','));
    expect(lines[0]).toBe('batch_id,timestamp,name,phone_number,appointment_date,location,call_answered,call_status,call_duration_seconds,call_duration_formatted,call_id,error_message');
    expect(lines.filter((l) => l.startsWith('batch_id'))).toHaveLength(1);
    expect(lines[1]).toBe("b1,2030-01-14T10:00:04-05:00,Priya Raman,+13125550102,2030-01-15 10:15,\"Riverside Office, Suite 200\",Yes,completed,41,0:00:41,CA0123,");
    expect(lines[2]).toContain("b2,2030-01-14T10:00:04-05:00,\"'=HYPERLINK(\"\"x\"\")\"");
    expect(lines).toHaveLength(4); // header, two rows, and the final CRLF
  });

  it('an existing 11-column log of the predecessor keeps its own columns (no location)', async () => {
    const file = path.join(tmp(), 'batch_log.csv');
    fs.copyFileSync(path.join(FIXTURES, 'legacy-batch-log-11-columns.csv'), file);
    const before = fs.readFileSync(file, 'utf8');
    const result = await appendToBatchLog(file, [row()]);
    expect(result.columns).toHaveLength(11);
    expect(result.columns).not.toContain('location');
    const after = fs.readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const added = after.slice(before.length).split('\r\n')[0]!;
    expect(added).toBe("b1,2030-01-14T10:00:04-05:00,Priya Raman,+13125550102,2030-01-15 10:15,Yes,completed,41,0:00:41,CA0123,");
    expect(added.split(',')).toHaveLength(11);
  });
});
