import type { Db } from './database';

// Which reminder slot (hours before) of which appointment the scheduler has already queued. Keyed by
// (appointment, slot): a restart, a wake from sleep or two overlapping checks never queue the same reminder twice.

export interface ReminderSlot {
  appointmentId: number;
  hoursBefore: number;
  dueUtc: string;
  batchId: string | null;
  doneAt: string;
}

/** Marks a slot done; false when it already was (someone else queued it first). */
export function claimReminderSlot(db: Db, slot: ReminderSlot): boolean {
  return (
    db
      .prepare('INSERT OR IGNORE INTO reminder_slots (appointment_id, hours_before, due_utc, batch_id, done_at) VALUES (?, ?, ?, ?, ?)')
      .run(slot.appointmentId, slot.hoursBefore, slot.dueUtc, slot.batchId, slot.doneAt).changes === 1
  );
}

/**
 * An appointment re-imported at another time: its slots are due again relative to the new time (a slot whose
 * old due time was recorded for the old appointment time must not stop the reminder for the new one).
 */
export function forgetSlotsOf(db: Db, appointmentId: number): number {
  return db.prepare('DELETE FROM reminder_slots WHERE appointment_id = ?').run(appointmentId).changes;
}

/**
 * Appointments whose reminder `@hours` hours before is due by @horizon and not done: in the future, not answered
 * cancelled / opted out, the slot not claimed, and no call of the appointment made since the slot fell due (a batch
 * staff started covers it). Searches appointments_by_time for the range and call_attempts_by_appointment for the
 * calls (asserted with EXPLAIN QUERY PLAN), so a year of appointments costs nothing per check.
 */
export const DUE_REMINDERS_SQL = `
  SELECT ap.id, ap.appointment_utc, ap.timezone FROM appointments ap
  WHERE ap.appointment_utc > @now AND ap.appointment_utc <= @horizon
    AND ap.practice = @practice AND ap.test_call = 0
    AND (ap.confirmation IS NULL OR ap.confirmation = 'confirmed')
    AND NOT EXISTS (SELECT 1 FROM reminder_slots s WHERE s.appointment_id = ap.id AND s.hours_before = @hours)
    AND NOT EXISTS (SELECT 1 FROM call_attempts a WHERE a.appointment_id = ap.id
                    AND a.created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', ap.appointment_utc, '-' || CAST(@hours * 3600 AS INTEGER) || ' seconds'))
  ORDER BY ap.appointment_utc, ap.id
  LIMIT @limit`;

export interface SlotCandidate {
  appointmentId: number;
  appointmentUtc: string;
  timezone: string | null;
}

/** `practice`: only that mode's appointments are due (practice data never turns into real calls, nor the reverse). */
export function dueSlotCandidates(db: Db, q: { hours: number; now: string; horizon: string; limit: number; practice: boolean }): SlotCandidate[] {
  return db
    .prepare<{ hours: number; now: string; horizon: string; limit: number; practice: number }, { id: number; appointment_utc: string; timezone: string | null }>(DUE_REMINDERS_SQL)
    .all({ ...q, practice: q.practice ? 1 : 0 })
    .map((row) => ({ appointmentId: row.id, appointmentUtc: row.appointment_utc, timezone: row.timezone }));
}
