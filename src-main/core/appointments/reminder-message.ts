// The spoken reminder: settings.yaml `message.message_template` with the predecessor's placeholders.
// Templates were Python str.format strings, so `{{` and `}}` are literal braces here too.
// Settings validate the template up front (validateMessageTemplate); rendering never throws, because a
// batch of calls must not stop on one odd value.

import { wallClockAt } from '../vocabulary/clinic-time';

export const MESSAGE_PLACEHOLDERS = [
  'name',
  'first_name',
  'appointment_date',
  'appointment_time',
  'location',
  // The predecessor's: " at <location>" when the appointment has one, else nothing.
  'location_text',
  'callback_number',
  // " at <callback number>" when message.callback_number is set, else nothing.
  'callback_number_text',
] as const;
type Placeholder = (typeof MESSAGE_PLACEHOLDERS)[number];

/** What {location} says when an appointment has none. */
export const DEFAULT_LOCATION = 'our clinic';

type Token = { kind: 'text'; text: string } | { kind: 'placeholder'; name: string; raw: string };

function tokenize(template: string): { tokens: Token[]; problems: string[] } {
  const tokens: Token[] = [];
  const problems: string[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    const next = template[i + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      text += char;
      i++;
    } else if (char === '{') {
      const close = template.indexOf('}', i);
      const open = template.indexOf('{', i + 1);
      if (close === -1 || (open !== -1 && open < close)) {
        problems.push(`a "{" at character ${i + 1} is never closed (write {{ for a literal brace)`);
        text += char;
        continue;
      }
      if (text) tokens.push({ kind: 'text', text });
      text = '';
      const raw = template.slice(i, close + 1);
      tokens.push({ kind: 'placeholder', name: raw.slice(1, -1).trim(), raw });
      i = close;
    } else if (char === '}') {
      problems.push(`a "}" at character ${i + 1} has no matching "{" (write }} for a literal brace)`);
      text += char;
    } else {
      text += char;
    }
  }
  if (text) tokens.push({ kind: 'text', text });
  return { tokens, problems };
}

function isPlaceholder(name: string): name is Placeholder {
  return (MESSAGE_PLACEHOLDERS as readonly string[]).includes(name);
}

/** Problems with a message template, each a sentence for the settings screen; empty when it is fine. */
export function validateMessageTemplate(template: string): string[] {
  const { tokens, problems } = tokenize(template);
  const known = MESSAGE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');
  for (const token of tokens) {
    if (token.kind === 'placeholder' && !isPlaceholder(token.name)) {
      problems.push(`unknown placeholder ${token.raw}: use ${known}`);
    }
  }
  if (template.trim() === '') problems.push('the message is empty');
  return problems;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Wednesday, November 25" and "2:30 PM" at the clinic, built by hand so text-to-speech gets plain spaces. */
export function spokenDateAndTime(appointmentAt: string, timezone: string): { date: string; time: string } | null {
  const instantMs = Date.parse(appointmentAt);
  if (Number.isNaN(instantMs)) return null;
  let wall;
  try {
    wall = wallClockAt(instantMs, timezone);
  } catch {
    return null; // an invalid zone: settings validation reports it; the call still goes out
  }
  const weekday = WEEKDAYS[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
  const hour12 = wall.hour % 12 === 0 ? 12 : wall.hour % 12;
  return {
    date: `${weekday}, ${MONTHS[wall.month - 1]!} ${wall.day}`,
    time: `${hour12}:${String(wall.minute).padStart(2, '0')} ${wall.hour < 12 ? 'AM' : 'PM'}`,
  };
}

/** A phone number read digit by digit ("5 5 5, 1 2 3 4") so text-to-speech does not say "five hundred fifty-five". */
export function spokenPhoneNumber(number: string): string {
  return number
    .replace(/\D+/g, ' ')
    .trim()
    .split(' ')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

/** The word before a place in {location_text} / a number in {callback_number_text}, per language (else English). */
const AT_WORD: Record<string, string> = { en: 'at', es: 'en', fr: 'à', de: 'in', it: 'a', pt: 'em', nl: 'in' };

/** Day and time in another language's own words (Intl), e.g. es: "miércoles, 2 de diciembre", "14:30". */
function localizedDateAndTime(appointmentAt: string, timezone: string, language: string): { date: string; time: string } | null {
  const instant = new Date(appointmentAt);
  if (Number.isNaN(instant.getTime())) return null;
  try {
    return {
      date: new Intl.DateTimeFormat(language, { timeZone: timezone, weekday: 'long', month: 'long', day: 'numeric' }).format(instant),
      time: new Intl.DateTimeFormat(language, { timeZone: timezone, hour: 'numeric', minute: '2-digit' }).format(instant).replace(/\u202f/g, ' '),
    };
  } catch {
    return null;
  }
}

export function renderReminderMessage(
  template: string,
  appt: { name: string; appointmentAt: string; location: string | null },
  timezone: string,
  extra: { callbackNumber?: string | null; language?: string | null } = {},
): string {
  const language = (extra.language ?? 'en').toLowerCase();
  const english = language === 'en' || language.startsWith('en-');
  const when = english ? spokenDateAndTime(appt.appointmentAt, timezone) : (localizedDateAndTime(appt.appointmentAt, timezone, language) ?? spokenDateAndTime(appt.appointmentAt, timezone));
  const at = AT_WORD[language.split('-')[0]!] ?? 'at';
  const location = appt.location?.trim() ?? '';
  const callback = extra.callbackNumber?.trim() ?? '';
  const values: Record<Placeholder, string> = {
    name: appt.name.trim(),
    first_name: appt.name.trim().split(/\s+/)[0] ?? '',
    appointment_date: when?.date ?? appt.appointmentAt,
    appointment_time: when?.time ?? '',
    location: location || DEFAULT_LOCATION,
    location_text: location ? ` ${at} ${location}` : '',
    callback_number: callback ? spokenPhoneNumber(callback) : '',
    callback_number_text: callback ? ` ${at} ${spokenPhoneNumber(callback)}` : '',
  };
  return tokenize(template)
    .tokens.map((token) => {
      if (token.kind === 'text') return token.text;
      return isPlaceholder(token.name) ? values[token.name] : token.raw;
    })
    .join('');
}
