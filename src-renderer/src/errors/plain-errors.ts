// What staff read when something fails: one plain sentence with what to do next, and the raw detail (for the
// person who supports them) behind a "Details" toggle. The core is adding its own plain messages with a `details`
// field; until every path has one, the raw texts staff were seen to meet are recognised here.

/** An error as it crosses the API (the core's ApiError, with the optional raw detail it is gaining). */
export interface ErrorLike {
  kind?: string;
  message: string;
  details?: string | null;
}

export interface PlainError {
  sentence: string;
  /** The raw text, phone numbers masked; null when the sentence is all there is. */
  details: string | null;
}

/** "+14045550107" → "+1•••••••0107": the full number is shown only where staff need it, never in error details. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(/\+(\d)(\d{5,12})(\d{4})\b/g, (_, first: string, middle: string, last: string) => `+${first}${'•'.repeat(middle.length)}${last}`);
}

const RULES: [RegExp, string][] = [
  [
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|fetch failed/i,
    'Reminder Desk could not reach Twilio. Check that this computer is connected to the internet, then try again.',
  ],
  [
    /JSZip|zip file|central directory|Corrupted zip|not a valid xlsx/i,
    'This file could not be opened as an Excel workbook. Open it in Excel, save it as “Excel Workbook (.xlsx)” or as CSV, and import that file.',
  ],
  [/%[YmdHMS]/, 'A date or time in the file could not be read. Write dates like 2026-12-01 and times like 09:30 (or 9:30 AM), then import the file again.'],
  [
    /Account SID/i,
    'That Account SID doesn’t look right. It starts with AC followed by 32 characters (digits 0–9 and letters a–f): copy it again from the Twilio Console.',
  ],
  [/21211|Invalid 'To' Phone Number/i, 'Twilio says this patient’s phone number is not a valid number. Correct it in your appointment list and import the file again.'],
  [/20003|Authenticate|authentication/i, 'Twilio did not accept the Account SID and Auth Token. Copy both again from the Twilio Console.'],
  [/21212|Invalid 'From'|21606|From phone number/i, 'Twilio does not accept the caller number. Choose a number that belongs to your Twilio account in Settings.'],
];

export function toPlainError(error: ErrorLike | string): PlainError {
  const raw = typeof error === 'string' ? { message: error } : error;
  const message = raw.message.trim();
  // The core already said it plainly and kept its raw detail: show both as they are (the detail masked).
  if (raw.details) return { sentence: message, details: maskPhoneNumbers(raw.details) };
  for (const [pattern, sentence] of RULES) {
    if (pattern.test(message)) return { sentence, details: maskPhoneNumbers(message) };
  }
  return { sentence: maskPhoneNumbers(message), details: null };
}
