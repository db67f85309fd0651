// Wall-clock time in the clinic's IANA time zone <-> instants, with Intl only (no tz database of our own).
// A spreadsheet says "2026-11-25 14:30" and means 2:30 PM at the clinic, whatever the computer's zone is.

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function formattedWallClock(instantMs: number, timeZone: string): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/**
 * Zone offsets by 15-minute slice of UTC. Intl's formatToParts costs microseconds per call, and an export of
 * 100,000 rows asks for hundreds of thousands of wall clocks; offsets only change at transitions, which fall on
 * quarter hours of UTC (every zone's offset is a multiple of 15 minutes today).
 */
const QUARTER_HOUR_MS = 900_000;
const MAX_CACHED_OFFSETS = 50_000;
const offsetCache = new Map<string, number>();

function offsetMsAt(instantMs: number, timeZone: string): number {
  const slice = Math.floor(instantMs / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone}|${slice}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = wallClockAsUtcMs(formattedWallClock(slice, timeZone)) - slice;
    if (offsetCache.size >= MAX_CACHED_OFFSETS) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall clock in `timeZone` at `instantMs` (milliseconds since the epoch, whole seconds kept). */
export function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const whole = Math.floor(instantMs / 1000) * 1000;
  const local = new Date(whole + offsetMsAt(whole, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function wallClockAsUtcMs(wall: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** The zone's offset from UTC at an instant, in minutes (New York in winter: -300). */
export function offsetMinutesAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallClockAsUtcMs(wallClockAt(whole, timeZone)) - whole) / 60_000);
}

export type WallClockResolution =
  | { kind: 'ok'; instantMs: number; offsetMinutes: number }
  | { kind: 'nonexistent' } // skipped by a spring-forward transition
  | { kind: 'ambiguous'; offsetsMinutes: [number, number] }; // repeated by a fall-back transition

/**
 * The instant a wall-clock time denotes in `timeZone`. Tries the offsets in force a day either side
 * (every real zone changes offset at most once within two days) and keeps those that round-trip,
 * so DST gaps and overlaps are detected rather than silently shifted by an hour.
 */
export function resolveWallClock(wall: WallClock, timeZone: string): WallClockResolution {
  // A clinic's file repeats the same few slots (09:00, 09:30, ...) many times; Intl is the slow part.
  const key = `${timeZone} ${formatWallClockIso(wall)}`;
  const cached = resolutions.get(key);
  if (cached) return cached;
  if (resolutions.size >= 50_000) resolutions.clear();
  const resolution = resolveUncached(wall, timeZone);
  resolutions.set(key, resolution);
  return resolution;
}

const resolutions = new Map<string, WallClockResolution>();

function resolveUncached(wall: WallClock, timeZone: string): WallClockResolution {
  const asUtc = wallClockAsUtcMs(wall);
  const day = 86_400_000;
  const offsets = new Set([offsetMinutesAt(asUtc - day, timeZone), offsetMinutesAt(asUtc, timeZone), offsetMinutesAt(asUtc + day, timeZone)]);
  const matches: { instantMs: number; offset: number }[] = [];
  for (const offset of offsets) {
    const instantMs = asUtc - offset * 60_000;
    if (offsetMinutesAt(instantMs, timeZone) === offset) matches.push({ instantMs, offset });
  }
  matches.sort((a, b) => a.instantMs - b.instantMs);
  const [first, second] = matches;
  if (!first) return { kind: 'nonexistent' };
  if (second) return { kind: 'ambiguous', offsetsMinutes: [first.offset, second.offset] };
  return { kind: 'ok', instantMs: first.instantMs, offsetMinutes: first.offset };
}

const pad = (value: number, width = 2): string => String(Math.abs(value)).padStart(width, '0');

/** "-05:00", "+05:30", "+00:00". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2026-11-25T14:30:00-05:00. */
export function formatInstantInZone(instantMs: number, timeZone: string): string {
  const wall = wallClockAt(instantMs, timeZone);
  return `${formatWallClockIso(wall)}${formatOffset(offsetMinutesAt(instantMs, timeZone))}`;
}

/** 2026-11-25T14:30:00 (no offset). */
export function formatWallClockIso(wall: WallClock): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

export function isValidWallClock(wall: WallClock): boolean {
  if (wall.month < 1 || wall.month > 12 || wall.day < 1) return false;
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return false;
  const daysInMonth = new Date(Date.UTC(2000, wall.month, 0)).getUTCDate(); // month-length in a leap year
  if (wall.day > daysInMonth) return false;
  if (wall.month === 2 && wall.day === 29) return isLeapYear(wall.year);
  return true;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Day of week of a calendar date, 0 = Sunday. */
export function weekdayOf(wall: Pick<WallClock, 'year' | 'month' | 'day'>): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  return date.getUTCDay();
}
