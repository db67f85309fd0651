import { maskPhone } from './mask-phone';

// Staff words (issue 8): every error a front-desk staff member can meet, as one plain sentence with what to do
// next. The raw text (a library message, a Twilio code) stays available as `details` (a "Details" toggle) and in the
// log. A full phone number never appears in either: staff see the masked form, the log masks too.

export interface StaffError {
  message: string;
  /** The raw technical text, phone numbers masked; absent when the message is already the whole story. */
  details?: string;
}

/**
 * International numbers anywhere in a text ("+14045550123", "+1 404 555 0123"): masked like everywhere else. Only
 * numbers written with their + (how Twilio and our store write them): ids and times are left alone.
 */
const PHONE_IN_TEXT = /(?<![\w+])\+\d[\d ().-]{6,}\d(?!\w)/g;
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => (match.replace(/\D/g, '').length >= 8 ? maskPhone(match) : match));
}

const OFFLINE_CODES = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENETDOWN|socket hang up)\b/;

/** An example date written in a Python strftime pattern, so staff see "2026-11-25 14:30" instead of "%Y-%m-%d %H:%M". */
export function exampleOfDatePattern(pattern: string): string {
  const parts: Record<string, string> = {
    Y: '2026', y: '26', m: '11', d: '25', H: '14', I: '02', M: '30', S: '00', f: '000000', p: 'PM', b: 'Nov', h: 'Nov', B: 'November', a: 'Wed', A: 'Wednesday', '%': '%',
  };
  return pattern.replace(/%-?([A-Za-z%])/g, (whole, d: string) => parts[d] ?? whole);
}

interface TwilioCodeWords {
  message: (masked: string | null) => string;
}

/** Twilio REST error codes staff can meet (https://www.twilio.com/docs/api/errors). */
const TWILIO_CODES: Record<string, TwilioCodeWords> = {
  '21211': { message: (n) => `Twilio can't call ${n ?? 'this number'}: it isn't a valid phone number. Correct the number in the appointment file and import it again.` },
  '21214': { message: (n) => `${n ?? 'This number'} can't be reached by phone. Check the number with the patient.` },
  '21215': { message: () => "Your Twilio account isn't allowed to call this country. Turn the country on in the Twilio Console (Voice → Geo permissions), then try again." },
  '21216': { message: () => "Your Twilio account isn't allowed to call this number. Check Voice → Geo permissions in the Twilio Console." },
  '21210': { message: () => "The caller number isn't one this Twilio account may call from. Choose the caller number again in Settings." },
  '21212': { message: () => "The caller number isn't a valid phone number. Choose the caller number again in Settings." },
  '21219': { message: () => 'A Twilio trial account can only call numbers you verified. Verify the number in the Twilio Console, or upgrade the account.' },
  '21608': { message: () => 'A Twilio trial account can only call numbers you verified. Verify the number in the Twilio Console, or upgrade the account.' },
  '20003': { message: () => 'Twilio did not accept the Account SID and Auth Token. Copy both again from the Twilio Console (Settings → Connect a real Twilio account).' },
  '20404': { message: () => "Twilio doesn't know this call or number any more. Try again; if it keeps happening, check the caller number in Settings." },
  '20429': { message: () => 'Twilio is busy and asked Reminder Desk to slow down. The calls carry on by themselves; nothing to do.' },
  '13224': { message: (n) => `Twilio can't call ${n ?? 'this number'}: it isn't a valid phone number. Correct it in the appointment file.` },
  '13225': { message: () => 'Twilio refused to call this number (it is on a blocked or high-risk list). Call the patient from the clinic phone.' },
  '13227': { message: () => "Your Twilio account isn't allowed to call this country. Turn the country on in the Twilio Console (Voice → Geo permissions)." },
};

function firstPhone(text: string): string | null {
  const m = new RegExp(PHONE_IN_TEXT.source).exec(text);
  return m && m[0].replace(/\D/g, '').length >= 8 ? maskPhone(m[0]) : null;
}

/** A Twilio error code in a text: "(Twilio error 21211)", "21211: …", "code 21211". */
function twilioCodeIn(text: string): string | null {
  const m = /\bTwilio error (\d{5})\b/.exec(text) ?? /^(\d{5}):/.exec(text) ?? /\bcode[ =:]+(\d{5})\b/i.exec(text);
  return m?.[1] ?? null;
}

/**
 * Staff words for a raw error text (and its error code when known), or null when the text is already meant for
 * staff. The rules, first match wins: unreadable workbook, offline, date formats, Account SID, Twilio codes,
 * files open elsewhere, a full disk.
 */
export function staffWordsFor(raw: string, code?: string | null): string | null {
  const text = raw.trim();
  if (/could not be opened as an \.xlsx workbook|central directory|corrupted zip|jszip|is this a zip file/i.test(text)) {
    return "This file isn't a readable Excel workbook. Open it in Excel, save it again as .xlsx (or as CSV), and import that file.";
  }
  if ((code && OFFLINE_CODES.test(code)) || OFFLINE_CODES.test(text) || /getaddrinfo|Could not reach Twilio/i.test(text)) {
    return "Reminder Desk can't reach Twilio: this computer seems to be offline. Check the internet connection, then try again.";
  }
  const dateRow = /^appointment_date "(.*)" does not match (.+)$/s.exec(text);
  if (dateRow) {
    const formats = [...new Set([...dateRow[2]!.matchAll(/"([^"]*%[^"]*)"/g)].map((m) => exampleOfDatePattern(m[1]!)))];
    const like = formats.length ? formats.map((f) => `"${f}"`).join(' or ') : '"2026-11-25 14:30"';
    return `The appointment date "${dateRow[1]}" isn't written in a way Reminder Desk reads. Write it like ${like}, or change the date format in Settings.`;
  }
  if (/data\.date_format|data\.fallback_date_format/.test(text)) {
    return 'The date format in Settings has a part Reminder Desk does not know. Ask whoever set up Reminder Desk to check data.date_format in the settings file.';
  }
  if (/accountSid/.test(text)) {
    return "That Account SID isn't right: it is AC followed by 32 characters, using only the digits 0–9 and the letters a–f. Copy it again from the Twilio Console.";
  }
  if (/authToken/.test(text)) return "That Auth Token isn't right: it has 32 characters. Copy it again from the Twilio Console.";
  const twilioCode = (code && /^\d{5}$/.test(code) ? code : null) ?? twilioCodeIn(text);
  if (twilioCode && TWILIO_CODES[twilioCode]) return TWILIO_CODES[twilioCode].message(firstPhone(text));
  if (/\b(EBUSY|EPERM|EACCES)\b|is it open in Excel/.test(text)) {
    return 'The file could not be saved: it is open in another program (Excel?) or the folder is read-only. Close it, or choose another folder, and try again.';
  }
  if (/\bENOSPC\b/.test(text)) return 'The disk is full. Free some space, then try again.';
  return null;
}

/** Staff words for an error (any thrown value), with the raw text kept (masked) as details. */
export function toStaffError(error: unknown, fallback = 'Something went wrong inside Reminder Desk; the details are in the log file.'): StaffError & { known: boolean } {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const words = staffWordsFor(raw, typeof code === 'string' || typeof code === 'number' ? String(code) : null);
  const details = maskPhonesIn(code !== undefined && !raw.includes(String(code)) ? `${raw} (${String(code)})` : raw);
  if (words) return { message: words, details, known: true };
  return { message: fallback, details, known: false };
}

/** An ApiFailure's own message, made staff-safe: a known raw text becomes staff words (raw kept as details); numbers masked. */
export function staffMessage(message: string): StaffError {
  const words = staffWordsFor(message);
  if (words) return { message: words, details: maskPhonesIn(message) };
  return { message: maskPhonesIn(message) };
}
