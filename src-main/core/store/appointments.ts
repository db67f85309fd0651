import type { Appointment, Confirmation } from '../domain';
import type { Db } from './database';
import { forgetSlotsOf } from './reminder-slots';

interface AppointmentRow {
  id: number;
  dedupe_key: string;
  external_id: string | null;
  name: string;
  phone_number: string;
  email: string | null;
  appointment_at: string;
  appointment_utc: string;
  location: string | null;
  confirmation: Confirmation | null;
  confirmed_at: string | null;
  language: string | null;
  timezone: string | null;
  source_file: string | null;
  imported_at: string;
  updated_at: string;
  practice: number;
  test_call: number;
}

/** Which data an operation sees: practice and real appointments never mix (issue 8). */
export interface DataScope {
  practice: boolean;
}

/** The stored dedupe key: practice rows get their own key space, so one file imported in both modes makes two rows. */
export function scopedDedupeKey(key: string, scope: DataScope): string {
  return scope.practice ? `practice:${key}` : key;
}

export function rowToAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    phoneNumber: row.phone_number,
    email: row.email,
    appointmentAt: row.appointment_at,
    location: row.location,
    confirmation: row.confirmation,
    confirmedAt: row.confirmed_at,
    language: row.language,
    timezone: row.timezone,
    importedAt: row.imported_at,
    practice: row.practice === 1,
  };
}

export interface AppointmentInput {
  dedupeKey: string;
  externalId: string | null;
  name: string;
  phoneNumber: string;
  email: string | null;
  appointmentAt: string;
  location: string | null;
  /** Optional file columns (issue 10); absent means none. */
  language?: string | null;
  timezone?: string | null;
  /** The file says the clinic cancelled it: stored as the appointment's answer `cancelled` (no reminder, no retry). */
  cancelled?: boolean;
}

export interface UpsertSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  ids: number[];
}

/**
 * Inserts new appointments and refreshes changed ones, keyed on `dedupe_key`: re-importing a file adds nothing.
 * `scope` says whether they are practice data (default: real); `testCall` marks the wizard's call to staff's own phone.
 */
export function upsertAppointments(
  db: Db,
  rows: readonly AppointmentInput[],
  sourceFile: string | null,
  now: string,
  scope: DataScope & { testCall?: boolean } = { practice: false },
): UpsertSummary {
  const find = db.prepare<[string], AppointmentRow>('SELECT * FROM appointments WHERE dedupe_key = ?');
  const insert = db.prepare(
    `INSERT INTO appointments (dedupe_key, external_id, name, phone_number, email, appointment_at, appointment_utc, location, language, timezone, source_file, imported_at, updated_at, practice, test_call)
     VALUES (@dedupeKey, @externalId, @name, @phoneNumber, @email, @appointmentAt, @appointmentUtc, @location, @language, @timezone, @sourceFile, @now, @now, @practice, @testCall)`,
  );
  const update = db.prepare(
    `UPDATE appointments SET external_id = @externalId, name = @name, phone_number = @phoneNumber, email = @email,
       appointment_at = @appointmentAt, appointment_utc = @appointmentUtc, location = @location, language = @language, timezone = @timezone, source_file = @sourceFile, updated_at = @now
     WHERE id = @id`,
  );
  const summary: UpsertSummary = { inserted: 0, updated: 0, unchanged: 0, ids: [] };
  db.transaction(() => {
    for (const row of rows) {
      const appointmentUtc = new Date(row.appointmentAt).toISOString();
      const dedupeKey = scopedDedupeKey(row.dedupeKey, scope);
      const existing = find.get(dedupeKey);
      const params = {
        ...row,
        dedupeKey,
        language: row.language ?? null,
        timezone: row.timezone ?? null,
        appointmentUtc,
        sourceFile,
        now,
        practice: scope.practice ? 1 : 0,
        testCall: scope.testCall ? 1 : 0,
      };
      if (!existing) {
        const id = Number(insert.run(params).lastInsertRowid);
        if (row.cancelled) setAppointmentConfirmation(db, id, 'cancelled', now);
        summary.ids.push(id);
        summary.inserted += 1;
        continue;
      }
      summary.ids.push(existing.id);
      // Cancelled since the last import: its pending reminders and retries are dropped (they need no answer).
      const newlyCancelled = row.cancelled === true && existing.confirmation !== 'cancelled';
      if (newlyCancelled) setAppointmentConfirmation(db, existing.id, 'cancelled', now);
      const same =
        existing.name === row.name &&
        existing.phone_number === row.phoneNumber &&
        existing.email === row.email &&
        existing.appointment_utc === appointmentUtc &&
        existing.location === row.location &&
        existing.language === (row.language ?? null) &&
        existing.timezone === (row.timezone ?? null) &&
        existing.external_id === row.externalId;
      if (same && !newlyCancelled) summary.unchanged += 1;
      else if (same) summary.updated += 1;
      else {
        update.run({ ...params, id: existing.id });
        // Moved: its reminders fall due again relative to the new time (the scheduler computes them from it).
        if (existing.appointment_utc !== appointmentUtc) forgetSlotsOf(db, existing.id);
        summary.updated += 1;
      }
    }
  })();
  return summary;
}

export function getAppointment(db: Db, id: number): Appointment | null {
  const row = db.prepare<[number], AppointmentRow>('SELECT * FROM appointments WHERE id = ?').get(id);
  return row ? rowToAppointment(row) : null;
}

export function getAppointments(db: Db, ids: readonly number[]): Appointment[] {
  if (ids.length === 0) return [];
  const stmt = db.prepare<[string], AppointmentRow>('SELECT * FROM appointments WHERE id IN (SELECT value FROM json_each(?)) ORDER BY appointment_utc, id');
  return stmt.all(JSON.stringify(ids)).map(rowToAppointment);
}

export interface AppointmentFilter {
  /** Practice or real data; the wizard's test calls are never listed. */
  practice: boolean;
  /** Inclusive UTC range of the appointment time. */
  fromUtc?: string | undefined;
  toUtc?: string | undefined;
  search?: string | undefined;
}

export function listAppointments(db: Db, filter: AppointmentFilter): Appointment[] {
  const where: string[] = ['practice = @practice', 'test_call = 0'];
  const params: Record<string, string | number> = { practice: filter.practice ? 1 : 0 };
  if (filter.fromUtc) {
    where.push('appointment_utc >= @fromUtc');
    params.fromUtc = filter.fromUtc;
  }
  if (filter.toUtc) {
    where.push('appointment_utc < @toUtc');
    params.toUtc = filter.toUtc;
  }
  if (filter.search?.trim()) {
    where.push("name LIKE @search ESCAPE '\\'");
    params.search = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const sql = `SELECT * FROM appointments ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY appointment_utc, id`;
  return db.prepare<Record<string, string | number>, AppointmentRow>(sql).all(params).map(rowToAppointment);
}

/** Whether an appointment is patient data of this mode (not the other mode's, not a test call). */
export function isInScope(db: Db, id: number, scope: DataScope): boolean {
  return db.prepare<[number, number], { n: number }>('SELECT COUNT(*) AS n FROM appointments WHERE id = ? AND practice = ? AND test_call = 0').get(id, scope.practice ? 1 : 0)!.n === 1;
}

/** Patient appointments of a mode among `ids` (others' and test calls dropped), in the given order. */
export function appointmentsInScope(db: Db, ids: readonly number[], scope: DataScope): Appointment[] {
  const byId = new Map(getAppointments(db, ids).filter((a) => a.practice === scope.practice).map((a) => [a.id, a]));
  const testCalls = new Set(
    db
      .prepare<[string], { id: number }>('SELECT id FROM appointments WHERE test_call = 1 AND id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids))
      .map((r) => r.id),
  );
  return [...new Set(ids)].flatMap((id) => {
    const a = byId.get(id);
    return a && !testCalls.has(id) ? [a] : [];
  });
}

export function setAppointmentConfirmation(db: Db, id: number, confirmation: Confirmation, now: string): void {
  db.prepare('UPDATE appointments SET confirmation = ?, confirmed_at = ?, updated_at = ? WHERE id = ?').run(confirmation, now, now, id);
}
