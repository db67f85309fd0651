import { wallClockAt } from '../vocabulary/clinic-time';
import { WEEKDAY_NAMES, type Settings } from '../settings/schema';
import type { Db } from '../store/database';
import { dueSlotCandidates } from '../store/reminder-slots';

export { DUE_REMINDERS_SQL } from '../store/reminder-slots';

/** Far enough for "call as soon as imported", still an ISO string that sorts after every real appointment. */
const NO_HORIZON = '9999-12-31T23:59:59.999Z';

/** scheduling.reminder_hours_before as a list, largest first: [48, 2]. */
export function reminderSlots(settings: Settings): number[] {
  const value = settings.scheduling.reminder_hours_before;
  return [...new Set(Array.isArray(value) ? value : [value])].sort((a, b) => b - a);
}

export interface DueReminder {
  appointmentId: number;
  /** Every slot this call fulfils (after a long sleep several can be due at once: one call covers them all). */
  slots: { hoursBefore: number; dueUtc: string }[];
  timezone: string | null;
}

function dueUtcOf(appointmentUtc: string, hoursBefore: number): string {
  return new Date(Date.parse(appointmentUtc) - hoursBefore * 3_600_000).toISOString();
}

/**
 * Reminders due at `nowMs`, one entry per appointment. A reminder falls due at appointment time minus each
 * scheduling.reminder_hours_before (absolute hours, so a DST change in between does not move it); the appointment
 * must still be ahead. With call_immediately the first (largest) slot is due as soon as the appointment is known.
 */
export function dueReminders(db: Db, settings: Settings, nowMs: number, opts: { practice: boolean; limit?: number }): DueReminder[] {
  const limit = opts.limit ?? 10_000;
  const now = new Date(nowMs).toISOString();
  const byAppointment = new Map<number, DueReminder>();
  reminderSlots(settings).forEach((hours, index) => {
    const immediate = settings.scheduling.call_immediately && index === 0;
    const horizon = immediate ? NO_HORIZON : new Date(nowMs + hours * 3_600_000).toISOString();
    for (const candidate of dueSlotCandidates(db, { hours, now, horizon, limit, practice: opts.practice })) {
      const entry = byAppointment.get(candidate.appointmentId) ?? { appointmentId: candidate.appointmentId, slots: [], timezone: candidate.timezone };
      entry.slots.push({ hoursBefore: hours, dueUtc: immediate ? now : dueUtcOf(candidate.appointmentUtc, hours) });
      byAppointment.set(candidate.appointmentId, entry);
    }
  });
  return [...byAppointment.values()];
}


/**
 * Whether `nowMs` is inside scheduling.calling_hours on one of scheduling.calling_days, read on the wall clock of
 * `timezone` (default: the clinic's, scheduling.timezone; an appointment's own `timezone` column otherwise).
 */
export function isWithinCallingHours(settings: Settings, nowMs: number, timezone: string = settings.scheduling.timezone): boolean {
  const { start, end } = settings.scheduling.calling_hours;
  const wall = wallClockAt(nowMs, timezone);
  const day = WEEKDAY_NAMES[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
  if (!settings.scheduling.calling_days.includes(day)) return false;
  const hhmm = `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
  return hhmm >= start && hhmm < end;
}

/** The first instant at or after `fromMs` inside calling hours and days (up to 8 days ahead), to the minute. */
export function nextCallingTime(settings: Settings, fromMs: number, timezone: string = settings.scheduling.timezone): number | null {
  if (isWithinCallingHours(settings, fromMs, timezone)) return fromMs;
  const minute = 60_000;
  const coarse = 15 * minute; // calling hours are whole minutes and never shorter than a quarter hour in practice
  const first = Math.ceil(fromMs / minute) * minute;
  for (let t = first; t < fromMs + 8 * 86_400_000; t += coarse) {
    if (!isWithinCallingHours(settings, t, timezone)) continue;
    for (let back = Math.max(first, t - coarse + minute); back <= t; back += minute) if (isWithinCallingHours(settings, back, timezone)) return back;
  }
  return null;
}
