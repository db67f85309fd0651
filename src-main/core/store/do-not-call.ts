import type { Db } from './database';

// The do-not-call list: numbers (E.164) that pressed 9 on a reminder, or that staff added. No batch, scheduler
// or retry dials them (see dispatch/skip-reason.ts).

export type DoNotCallSource = 'keypad' | 'staff' | 'import';

export interface DoNotCallEntry {
  phoneNumber: string;
  reason: string | null;
  source: DoNotCallSource;
  addedAt: string;
}

interface DoNotCallRow {
  phone_number: string;
  reason: string | null;
  source: DoNotCallSource;
  added_at: string;
}

function rowToEntry(row: DoNotCallRow): DoNotCallEntry {
  return { phoneNumber: row.phone_number, reason: row.reason, source: row.source, addedAt: row.added_at };
}

export function isOnDoNotCallList(db: Db, e164: string): boolean {
  return db.prepare<[string], { one: number }>('SELECT 1 AS one FROM do_not_call WHERE phone_number = ?').get(e164) !== undefined;
}

/** Adds a number; true when it was not on the list yet (an existing entry keeps its first reason and date). */
export function addToDoNotCall(db: Db, entry: { phoneNumber: string; reason?: string | null; source: DoNotCallSource; now: string }): boolean {
  return (
    db
      .prepare('INSERT OR IGNORE INTO do_not_call (phone_number, reason, source, added_at) VALUES (?, ?, ?, ?)')
      .run(entry.phoneNumber, entry.reason ?? null, entry.source, entry.now).changes === 1
  );
}

/** Removes a number; true when it was on the list. */
export function removeFromDoNotCall(db: Db, e164: string): boolean {
  return db.prepare('DELETE FROM do_not_call WHERE phone_number = ?').run(e164).changes === 1;
}

export function listDoNotCall(db: Db): DoNotCallEntry[] {
  return db.prepare<[], DoNotCallRow>('SELECT * FROM do_not_call ORDER BY added_at DESC, phone_number').all().map(rowToEntry);
}

export function getDoNotCall(db: Db, e164: string): DoNotCallEntry | null {
  const row = db.prepare<[string], DoNotCallRow>('SELECT * FROM do_not_call WHERE phone_number = ?').get(e164);
  return row ? rowToEntry(row) : null;
}
