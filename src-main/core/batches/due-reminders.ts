import { wallClockAt } from '../vocabulary/clinic-time';
import type { Settings } from '../settings/schema';
import { appointmentIdsWithoutAttempt } from '../store/appointments';
import type { Db } from '../store/database';

/** Far enough for "call as soon as imported", still an ISO string that sorts after every real appointment. */
const NO_HORIZON = '9999-12-31T23:59:59.999Z';

export function dueReminderIds(db: Db, settings: Settings, nowMs: number, limit = 10_000): number[] {
  const { scheduling } = settings;
  const horizon = scheduling.call_immediately ? NO_HORIZON : new Date(nowMs + scheduling.reminder_hours_before * 3_600_000).toISOString();
  return appointmentIdsWithoutAttempt(db, { fromUtc: new Date(nowMs).toISOString(), toUtc: horizon, limit });
}

/** Whether `nowMs` is inside scheduling.calling_hours, read on the clinic's wall clock (scheduling.timezone). */
export function isWithinCallingHours(settings: Settings, nowMs: number): boolean {
  const { start, end } = settings.scheduling.calling_hours;
  const wall = wallClockAt(nowMs, settings.scheduling.timezone);
  const hhmm = `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
  return hhmm >= start && hhmm < end;
}
