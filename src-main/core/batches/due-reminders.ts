import { wallClockAt } from '../vocabulary/clinic-time';
import type { Settings } from '../settings/schema';
import type { Db } from '../store/database';

/**
 * Appointments whose reminder is due: still in the future, inside the reminder horizon, and never put in any
 * batch. Searches appointments_by_time for the range and call_attempts_by_appointment for "not in a batch"
 * (asserted with EXPLAIN QUERY PLAN in the tests), so a year of appointments costs nothing per check.
 */
export const DUE_REMINDERS_SQL = `
  SELECT ap.id FROM appointments ap
  WHERE ap.appointment_utc > @now AND ap.appointment_utc <= @horizon
    AND NOT EXISTS (SELECT 1 FROM call_attempts a WHERE a.appointment_id = ap.id)
  ORDER BY ap.appointment_utc, ap.id
  LIMIT @limit`;

/** Far enough for "call as soon as imported", still an ISO string that sorts after every real appointment. */
const NO_HORIZON = '9999-12-31T23:59:59.999Z';

export function dueReminderIds(db: Db, settings: Settings, nowMs: number, limit = 10_000): number[] {
  const { scheduling } = settings;
  const horizon = scheduling.call_immediately ? NO_HORIZON : new Date(nowMs + scheduling.reminder_hours_before * 3_600_000).toISOString();
  return db
    .prepare<{ now: string; horizon: string; limit: number }, { id: number }>(DUE_REMINDERS_SQL)
    .all({ now: new Date(nowMs).toISOString(), horizon, limit })
    .map((row) => row.id);
}

/** Whether `nowMs` is inside scheduling.calling_hours, read on the clinic's wall clock (scheduling.timezone). */
export function isWithinCallingHours(settings: Settings, nowMs: number): boolean {
  const { start, end } = settings.scheduling.calling_hours;
  const wall = wallClockAt(nowMs, settings.scheduling.timezone);
  const hhmm = `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
  return hhmm >= start && hhmm < end;
}
