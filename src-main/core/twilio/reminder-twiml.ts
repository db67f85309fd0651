import twilio from 'twilio';
import type { Confirmation } from '../domain';
import { GOODBYE, INVALID_KEY_REPLY, keypadAction, keypadPrompt, NO_KEY_REPLY, replyFor, type KeypadWording } from './keypad';

// What the patient hears. Built with twilio's own VoiceResponse so every value is escaped as TwiML expects.
// Which key does what lives in keypad.ts; this file only turns those decisions into TwiML.

/** Twilio refuses inline TwiML (`twiml` on calls.create) longer than this. */
export const MAX_TWIML_CHARS = 4000;

export { INVALID_KEY_REPLY } from './keypad';
export const NO_KEY_FALLBACK = `${NO_KEY_REPLY} ${GOODBYE}`;

const GATHER_TIMEOUT_SECONDS = 8;

/** <Say> attributes for the appointment's language (message.voices). */
export interface SayOptions {
  voice?: string | undefined;
  language?: string | undefined;
}

export interface VoiceOptions {
  say?: SayOptions;
  wording?: KeypadWording;
}

const DEFAULT_WORDING: KeypadWording = { cancelWord: 'cancel' };

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

function sayAttributes(say: SayOptions | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (say?.voice) attributes.voice = say.voice;
  if (say?.language) attributes.language = say.language;
  return attributes;
}

type Sayer = { say(attributes: object, text: string): unknown };

function say(target: Sayer, text: string, opts: VoiceOptions): void {
  target.say(sayAttributes(opts.say), speakableText(text));
}

/**
 * The keypad prompt. actionOnEmptyResult: Twilio posts to /gather even when no key was pressed, so a missing key
 * goes through the same one-re-prompt rule as a wrong key. The goodbye after it is only heard if that post fails.
 */
function addGather(response: twilio.twiml.VoiceResponse, gatherActionUrl: string, opts: VoiceOptions, lead?: string): void {
  const gather = response.gather({ numDigits: 1, action: gatherActionUrl, method: 'POST', timeout: GATHER_TIMEOUT_SECONDS, actionOnEmptyResult: true });
  if (lead) say(gather, lead, opts);
  say(gather, keypadPrompt(opts.wording ?? DEFAULT_WORDING), opts);
  say(response, GOODBYE, opts);
}

/**
 * The reminder call's TwiML: the message, then (only when Twilio can reach our /gather endpoint) the keypad
 * prompt. Without a public URL there is nowhere to send the key, so no prompt is spoken.
 */
export function buildReminderTwiml(opts: { message: string; gatherActionUrl: string | null } & VoiceOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  say(response, opts.message, opts);
  if (opts.gatherActionUrl) addGather(response, opts.gatherActionUrl, opts);
  return ensureFits(response.toString());
}

/**
 * What an answering machine gets (Twilio asks for this TwiML after the beep with MachineDetection=DetectMessageEnd):
 * the voicemail message and no keypad prompt — nobody is there to press a key — or, for voicemail_action
 * `retry`/`hang_up`, nothing at all.
 */
export function buildVoicemailTwiml(opts: { message: string | null } & VoiceOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  if (opts.message) say(response, opts.message, opts);
  response.hangup();
  return ensureFits(response.toString());
}

/**
 * TwiML answering the patient's key press (or its absence). `confirmation` is what to store (1, 2, 9);
 * `reprompted` tells the caller to count a re-prompt so the next miss says goodbye.
 */
export function buildGatherReplyTwiml(
  digits: string | null | undefined,
  opts: { gatherActionUrl?: string | null; message?: string; repromptsSoFar?: number } & VoiceOptions = {},
): { twiml: string; confirmation: Confirmation | null; reprompted: boolean } {
  const response = new twilio.twiml.VoiceResponse();
  const action = keypadAction(digits, opts.repromptsSoFar ?? 0);
  const wording = opts.wording ?? DEFAULT_WORDING;
  switch (action.kind) {
    case 'answer':
      say(response, replyFor(action.confirmation, wording), opts);
      return { twiml: response.toString(), confirmation: action.confirmation, reprompted: false };
    case 'repeat':
      if (opts.message) say(response, opts.message, opts);
      if (opts.gatherActionUrl) addGather(response, opts.gatherActionUrl, opts);
      else say(response, GOODBYE, opts);
      return { twiml: ensureFits(response.toString()), confirmation: null, reprompted: false };
    case 'reprompt': {
      const lead = action.reason === 'no-key' ? NO_KEY_REPLY : INVALID_KEY_REPLY;
      if (opts.gatherActionUrl) addGather(response, opts.gatherActionUrl, opts, lead);
      else say(response, `${lead} ${GOODBYE}`, opts);
      return { twiml: response.toString(), confirmation: null, reprompted: true };
    }
    case 'goodbye':
      say(response, (digits ?? '').trim() === '' ? NO_KEY_FALLBACK : `${INVALID_KEY_REPLY} ${GOODBYE}`, opts);
      return { twiml: response.toString(), confirmation: null, reprompted: false };
  }
}
