// Phone numbers as people type them -> E.164, which is what Twilio dials.
// The "max" metadata knows each country's real number ranges, so a number that merely has the
// right length but could never be dialled is caught at import, not as a failed call later.

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

export function normalisePhoneNumber(raw: string, defaultRegion: string): PhoneResult {
  const text = raw.trim();
  const parsed = parsePhoneNumberFromString(text, defaultRegion as CountryCode);
  if (parsed?.isValid()) return { ok: true, e164: parsed.number };
  // A number written with its country code is judged by that country, not the default region.
  const where = text.startsWith('+') ? '' : `${defaultRegion} `;
  return { ok: false, reason: `phone_number "${text}" is not a valid ${where}phone number` };
}
