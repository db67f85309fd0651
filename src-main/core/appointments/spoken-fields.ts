// Each imported value ends up spoken on a call (name, place), shown on screen or written to a log. A value
// no person would write — 100,000 characters, a NUL or an escape sequence — is refused at import with its
// line, so it can never reach the TwiML of a call (where it would make Twilio play an application error).

import { hasControlCharacters } from './safe-text';

/** The most characters each column may hold; generous for real data, far below what breaks a call. */
export const FIELD_MAX_CHARS: Readonly<Record<string, number>> = {
  name: 100,
  phone_number: 40,
  email: 254, // RFC 5321's limit
  appointment_date: 64,
  location: 200,
  id: 100,
};

/** Columns not listed above (a custom required column). */
const OTHER_MAX_CHARS = 500;

/** Why `text` can't be kept in `column`, or null when it can. */
export function fieldProblem(column: string, text: string): string | null {
  const max = FIELD_MAX_CHARS[column] ?? OTHER_MAX_CHARS;
  if (text.length > max) {
    return `${column} is ${text.length.toLocaleString('en-US')} characters long; the most it may be is ${max}`;
  }
  if (hasControlCharacters(text)) {
    return `${column} contains a control character (such as NUL or an escape code) that can't be spoken or shown; retype the value`;
  }
  return null;
}
