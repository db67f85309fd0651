// Python strptime patterns (settings.yaml `data.date_format`, written for the Python predecessor)
// turned into a matcher. Mirrors Python's rules where a clinic would notice a difference: numbers may
// drop their leading zero, names are case-insensitive, whitespace in the pattern matches any run of
// whitespace, %y 00-68 is 20xx, %I without %p is a morning hour.

import { isValidWallClock, weekdayOf, type WallClock } from '../vocabulary/clinic-time';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const monthAlternatives = [...MONTHS, ...MONTHS.map((m) => m.slice(0, 3)), 'sept'];
const weekdayAlternatives = [...WEEKDAYS, ...WEEKDAYS.map((d) => d.slice(0, 3))];
// Longest first, so "march" is not cut to "mar" and "sept" wins over "sep".
const alternation = (words: string[]): string => [...words].sort((a, b) => b.length - a.length).join('|');

type Field = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'p' | 'b' | 'a' | 'f';

const DIRECTIVES: Record<string, { field: Field; pattern: string }> = {
  Y: { field: 'Y', pattern: '\\d{4}' },
  y: { field: 'y', pattern: '\\d{2}' },
  m: { field: 'm', pattern: '1[0-2]|0[1-9]|[1-9]' },
  d: { field: 'd', pattern: '3[01]|[12]\\d|0[1-9]|[1-9]' },
  H: { field: 'H', pattern: '2[0-3]|[01]\\d|\\d' },
  I: { field: 'I', pattern: '1[0-2]|0[1-9]|[1-9]' },
  M: { field: 'M', pattern: '[0-5]\\d|\\d' },
  S: { field: 'S', pattern: '[0-5]\\d|\\d' },
  f: { field: 'f', pattern: '\\d{1,6}' },
  p: { field: 'p', pattern: 'a\\.?m\\.?|p\\.?m\\.?' },
  b: { field: 'b', pattern: alternation(monthAlternatives) },
  B: { field: 'b', pattern: alternation(monthAlternatives) },
  h: { field: 'b', pattern: alternation(monthAlternatives) },
  a: { field: 'a', pattern: alternation(weekdayAlternatives) },
  A: { field: 'a', pattern: alternation(weekdayAlternatives) },
};

export const SUPPORTED_DIRECTIVES = ['%Y', '%y', '%m', '%d', '%H', '%I', '%M', '%S', '%f', '%p', '%b', '%B', '%h', '%a', '%A', '%%'] as const;

export interface CompiledPattern {
  source: string;
  regex: RegExp;
  fields: Field[];
}

export class DatePatternError extends Error {}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a strftime pattern; throws DatePatternError naming the directive it does not know. */
export function compileStrftime(format: string): CompiledPattern {
  let regex = '';
  const fields: Field[] = [];
  for (let i = 0; i < format.length; i++) {
    const char = format[i]!;
    if (char !== '%') {
      regex += /\s/.test(char) ? (regex.endsWith('\\s+') ? '' : '\\s+') : escapeRegex(char);
      continue;
    }
    let code = format[i + 1];
    // %-d / %-m: glibc's "no padding" flag, which people copy from strftime docs; matching already allows it.
    if (code === '-') {
      i++;
      code = format[i + 1];
    }
    i++;
    if (code === undefined) throw new DatePatternError(`date format "${format}" ends with a lone %`);
    if (code === '%') {
      regex += '%';
      continue;
    }
    const directive = DIRECTIVES[code];
    if (!directive) {
      throw new DatePatternError(`date format "${format}" uses %${code}, which is not supported (use ${SUPPORTED_DIRECTIVES.join(' ')})`);
    }
    regex += `(${directive.pattern})`;
    fields.push(directive.field);
  }
  const has = (...wanted: Field[]): boolean => wanted.some((f) => fields.includes(f));
  const missing = [!has('Y', 'y') && 'a year (%Y)', !has('m', 'b') && 'a month (%m or %b)', !has('d') && 'a day (%d)'].filter(Boolean);
  if (missing.length > 0) throw new DatePatternError(`date format "${format}" is missing ${missing.join(', ')}`);
  return { source: format, regex: new RegExp(`^${regex}$`, 'i'), fields };
}

/** Problems with a date format, for settings validation; empty when it is usable. */
export function validateDateFormat(format: string): string[] {
  try {
    compileStrftime(format);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

export type PatternMatch =
  | { kind: 'match'; wall: WallClock }
  | { kind: 'no-match' }
  | { kind: 'not-a-date' } // the shape fits but the calendar does not (31 April, 29 Feb in 2027, 13 PM)
  | { kind: 'wrong-weekday'; written: string; actual: string };

export function matchStrftime(pattern: CompiledPattern, input: string): PatternMatch {
  const match = pattern.regex.exec(input.trim());
  if (!match) return { kind: 'no-match' };
  const wall: WallClock = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let hour12: number | null = null;
  let pm = false;
  let weekday: number | null = null;
  let weekdayText = '';
  pattern.fields.forEach((field, index) => {
    const text = match[index + 1]!;
    const lower = text.toLowerCase();
    switch (field) {
      case 'Y':
        wall.year = Number(text);
        break;
      case 'y':
        wall.year = Number(text) + (Number(text) <= 68 ? 2000 : 1900);
        break;
      case 'm':
        wall.month = Number(text);
        break;
      case 'b':
        wall.month = MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3))) + 1;
        break;
      case 'd':
        wall.day = Number(text);
        break;
      case 'H':
        wall.hour = Number(text);
        break;
      case 'I':
        hour12 = Number(text);
        break;
      case 'M':
        wall.minute = Number(text);
        break;
      case 'S':
        wall.second = Number(text);
        break;
      case 'p':
        pm = lower.startsWith('p');
        break;
      case 'a':
        weekday = WEEKDAYS.findIndex((d) => d.startsWith(lower.slice(0, 3)));
        weekdayText = text;
        break;
      case 'f':
        break; // sub-second precision means nothing for an appointment
    }
  });
  if (hour12 !== null) wall.hour = (hour12 % 12) + (pm ? 12 : 0);
  if (!isValidWallClock(wall)) return { kind: 'not-a-date' };
  if (weekday !== null && weekday !== weekdayOf(wall)) {
    return { kind: 'wrong-weekday', written: weekdayText, actual: capitalise(WEEKDAYS[weekdayOf(wall)]!) };
  }
  return { kind: 'match', wall };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
