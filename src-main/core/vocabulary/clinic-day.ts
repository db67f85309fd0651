import { offsetMinutesAt, resolveWallClock, wallClockAt } from './clinic-time';

/**
 * A clinic day ("2026-11-25" in the clinic's zone) as a half-open UTC range, for the appointment board's
 * day filter. Midnight can fall in a DST gap (some zones switch at 00:00): then the day starts at the
 * first instant that exists.
 */
export function clinicDayRange(day: string, timezone: string): { fromUtc: string; toUtc: string } {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const start = startOfDay(year, month, date, timezone);
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  const end = startOfDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timezone);
  return { fromUtc: new Date(start).toISOString(), toUtc: new Date(end).toISOString() };
}

function startOfDay(year: number, month: number, day: number, timezone: string): number {
  const resolved = resolveWallClock({ year, month, day, hour: 0, minute: 0, second: 0 }, timezone);
  if (resolved.kind === 'ok') return resolved.instantMs;
  const naiveUtc = Date.UTC(year, month - 1, day);
  if (resolved.kind === 'ambiguous') return naiveUtc - Math.max(...resolved.offsetsMinutes) * 60_000;
  // Nonexistent midnight: the clocks jumped forward at that instant, which is midnight at the offset before the jump.
  return naiveUtc - offsetMinutesAt(naiveUtc - 12 * 3_600_000, timezone) * 60_000;
}

/** The clinic-local calendar day (YYYY-MM-DD) of an instant: the inverse of clinicDayRange, for the board's day groups. */
export function clinicDayOf(iso: string, timezone: string): string {
  const instantMs = Date.parse(iso);
  if (Number.isNaN(instantMs)) return iso.slice(0, 10);
  // wallClockAt reuses a cached zone offset: the board asks this for every one of thousands of rows.
  const wall = wallClockAt(instantMs, timezone);
  return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}
