// An appointment's date cell -> an instant, written as ISO 8601 with the clinic zone's offset.
// Tried in order: data.date_format, data.fallback_date_format, then ISO 8601 (always accepted).
// A time without an offset is wall-clock time at the clinic (scheduling.timezone).
//
// DST: a time that does not exist (skipped when clocks go forward) or happens twice (clocks go back)
// is rejected with the row, never shifted: a reminder an hour off is worse than a row to fix. The
// reason says how to write it unambiguously (with an offset).

import {
  formatInstantInZone,
  formatOffset,
  formatWallClockIso,
  isValidWallClock,
  resolveWallClock,
  type WallClock,
} from '../vocabulary/clinic-time';
import { compileStrftime, matchStrftime, type CompiledPattern } from './strftime-pattern';

export type DateParseResult = { ok: true; iso: string; instantMs: number } | { ok: false; reason: string };

export interface DateParser {
  parseText(text: string): DateParseResult;
  /** A wall-clock time that arrived already typed (an Excel date cell). */
  parseWallClock(wall: WallClock, shownAs: string): DateParseResult;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const COLUMN = 'appointment_date';

/** Throws DatePatternError when a configured format is unusable (a settings problem, not a row problem). */
export function createDateParser(formats: string[], timeZone: string): DateParser {
  const patterns: CompiledPattern[] = [...new Set(formats)].map(compileStrftime);
  const tried = describeFormats(patterns.map((p) => p.source));

  function fromWallClock(wall: WallClock, shownAs: string): DateParseResult {
    const resolved = resolveWallClock(wall, timeZone);
    const written = formatWallClockIso(wall).slice(0, 16);
    switch (resolved.kind) {
      case 'ok':
        return { ok: true, instantMs: resolved.instantMs, iso: `${formatWallClockIso(wall)}${formatOffset(resolved.offsetMinutes)}` };
      case 'nonexistent':
        return {
          ok: false,
          reason: `${COLUMN} "${shownAs}" does not exist in ${timeZone}: the clocks skip that hour when daylight saving time starts; check the time`,
        };
      case 'ambiguous': {
        const [a, b] = resolved.offsetsMinutes.map((o) => `${written}${formatOffset(o)}`);
        return {
          ok: false,
          reason: `${COLUMN} "${shownAs}" happens twice in ${timeZone} (the clocks go back an hour when daylight saving time ends); write it with its offset: ${a} or ${b}`,
        };
      }
    }
  }

  function parseIso(text: string): DateParseResult | null {
    const match = ISO_8601.exec(text);
    if (!match) return null;
    const [, y, mo, d, h, mi, s, offset] = match;
    const wall: WallClock = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
    };
    if (!isValidWallClock(wall)) return { ok: false, reason: `${COLUMN} "${text}" is not a real calendar date or time` };
    if (!offset) return fromWallClock(wall, text);
    const offsetMinutes = parseOffset(offset);
    const instantMs =
      Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - offsetMinutes * 60_000;
    return { ok: true, instantMs, iso: formatInstantInZone(instantMs, timeZone) };
  }

  return {
    parseText(raw: string): DateParseResult {
      const text = raw.trim();
      let sawImpossibleDate = false;
      for (const pattern of patterns) {
        const match = matchStrftime(pattern, text);
        if (match.kind === 'match') return fromWallClock(match.wall, text);
        if (match.kind === 'wrong-weekday') {
          return { ok: false, reason: `${COLUMN} "${text}" says ${match.written} but that date is a ${match.actual}` };
        }
        if (match.kind === 'not-a-date') sawImpossibleDate = true;
      }
      const iso = parseIso(text);
      if (iso) return iso;
      if (sawImpossibleDate) return { ok: false, reason: `${COLUMN} "${text}" is not a real calendar date or time` };
      return { ok: false, reason: `${COLUMN} "${text}" does not match ${tried}` };
    },
    parseWallClock: fromWallClock,
  };
}

function parseOffset(text: string): number {
  if (text.toUpperCase() === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

function describeFormats(formats: string[]): string {
  const iso = 'ISO 8601 (e.g. 2026-11-25T14:30)';
  if (formats.length === 0) return iso;
  const quoted = formats.map((f) => `"${f}"`);
  return `the date format${formats.length > 1 ? 's' : ''} ${quoted.join(', ')} or ${iso}`;
}
