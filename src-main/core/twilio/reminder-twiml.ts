import twilio from 'twilio';
import type { Confirmation } from '../domain';

// What the patient hears. Built with twilio's own VoiceResponse so every value is escaped as TwiML expects.

/** Twilio refuses inline TwiML (`twiml` on calls.create) longer than this. */
export const MAX_TWIML_CHARS = 4000;

export const GATHER_PROMPT = 'Press 1 to confirm, or 2 to cancel.';
export const NO_KEY_FALLBACK = 'We did not receive a response. Thank you, goodbye.';
export const CONFIRMED_REPLY = 'Thank you, your appointment is confirmed. Goodbye.';
export const CANCELLED_REPLY = 'Thank you, your appointment is cancelled. Please call the clinic to reschedule. Goodbye.';
export const INVALID_KEY_REPLY = 'Sorry, that key is not an option.';

const GATHER_TIMEOUT_SECONDS = 8;

export class TwimlTooLongError extends Error {
  override readonly name = 'TwimlTooLongError';
}

function ensureFits(twiml: string): string {
  if (twiml.length > MAX_TWIML_CHARS) {
    // A cut-off reminder could drop the date or place of the appointment: refuse rather than truncate silently.
    // The message names no patient value: it is stored on the attempt and logged.
    throw new TwimlTooLongError(
      `The reminder is too long for a phone call (${twiml.length} characters of TwiML, Twilio allows ${MAX_TWIML_CHARS}). ` +
        "Shorten message.message_template, or this appointment's name or location.",
    );
  }
  return twiml;
}

/**
 * Characters XML 1.0 can't hold (NUL and the other C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone
 * surrogates) make the TwiML builder throw with the whole text in its message. Imports refuse them now; a
 * value stored before that must still give a call, not an error that carries the patient's details.
 */
export function speakableText(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ');
}

function addGather(response: twilio.twiml.VoiceResponse, gatherActionUrl: string): void {
  const gather = response.gather({ numDigits: 1, action: gatherActionUrl, method: 'POST', timeout: GATHER_TIMEOUT_SECONDS });
  gather.say(GATHER_PROMPT);
  // Reached only when the patient pressed nothing (a key sends Twilio to the action URL instead).
  response.say(NO_KEY_FALLBACK);
}

/**
 * The reminder call's TwiML: the message, then (only when Twilio can reach our /gather endpoint) the
 * "press 1 / press 2" prompt. Without a public URL there is nowhere to send the key, so no prompt is spoken.
 */
export function buildReminderTwiml(opts: { message: string; gatherActionUrl: string | null }): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(speakableText(opts.message));
  if (opts.gatherActionUrl) addGather(response, opts.gatherActionUrl);
  return ensureFits(response.toString());
}

/**
 * TwiML answering the patient's key press. A key other than 1 or 2 is explained and, when the action URL is
 * known, asked once more; the confirmation is only recorded for 1 or 2.
 */
export function buildGatherReplyTwiml(
  digits: string | null | undefined,
  opts: { gatherActionUrl?: string | null } = {},
): { twiml: string; confirmation: Confirmation | null } {
  const response = new twilio.twiml.VoiceResponse();
  const key = (digits ?? '').trim();
  if (key === '1') {
    response.say(CONFIRMED_REPLY);
    return { twiml: response.toString(), confirmation: 'confirmed' };
  }
  if (key === '2') {
    response.say(CANCELLED_REPLY);
    return { twiml: response.toString(), confirmation: 'cancelled' };
  }
  response.say(INVALID_KEY_REPLY);
  if (opts.gatherActionUrl) addGather(response, opts.gatherActionUrl);
  else response.say(NO_KEY_FALLBACK);
  return { twiml: response.toString(), confirmation: null };
}
