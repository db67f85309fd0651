// The reminder's keypad, as plain decisions (no TwiML, no storage): which key does what, and what happens when
// no key or a wrong key is pressed. 1 confirms, 2 cancels, 3 repeats the message, 9 opts out of reminder calls.

import type { Confirmation } from '../domain';

export type KeypadAction =
  | { kind: 'answer'; confirmation: Confirmation }
  | { kind: 'repeat' }
  /** A missing or invalid key the first time: say so and ask once more. */
  | { kind: 'reprompt'; reason: 'no-key' | 'invalid-key' }
  /** A missing or invalid key after the one re-prompt: goodbye. */
  | { kind: 'goodbye' };

/** How many times a missing or invalid key is asked again before the call says goodbye. */
export const MAX_REPROMPTS = 1;

export function keypadAction(digits: string | null | undefined, repromptsSoFar: number): KeypadAction {
  const key = (digits ?? '').trim();
  if (key === '1') return { kind: 'answer', confirmation: 'confirmed' };
  if (key === '2') return { kind: 'answer', confirmation: 'cancelled' };
  if (key === '9') return { kind: 'answer', confirmation: 'opted_out' };
  if (key === '3') return { kind: 'repeat' };
  if (repromptsSoFar >= MAX_REPROMPTS) return { kind: 'goodbye' };
  return { kind: 'reprompt', reason: key === '' ? 'no-key' : 'invalid-key' };
}

export interface KeypadWording {
  /** What 2 does, e.g. "cancel" or "reschedule" (message.cancel_word). */
  cancelWord: string;
}

export function keypadPrompt(wording: KeypadWording): string {
  return `Press 1 to confirm, 2 to ${wording.cancelWord}, 3 to hear this message again, or 9 to stop receiving reminder calls.`;
}

export const NO_KEY_REPLY = 'We did not receive a response.';
export const INVALID_KEY_REPLY = 'Sorry, that key is not an option.';
export const GOODBYE = 'Thank you, goodbye.';
export const CONFIRMED_REPLY = 'Thank you, your appointment is confirmed. Goodbye.';
export const OPTED_OUT_REPLY = 'You will not receive more reminder calls. Goodbye.';

export function cancelledReply(wording: KeypadWording): string {
  return wording.cancelWord === 'cancel'
    ? 'Thank you, your appointment is cancelled. Please call the clinic to reschedule. Goodbye.'
    : `Thank you, we have noted that you want to ${wording.cancelWord}. The clinic will contact you. Goodbye.`;
}

export function replyFor(confirmation: Confirmation, wording: KeypadWording): string {
  if (confirmation === 'confirmed') return CONFIRMED_REPLY;
  if (confirmation === 'opted_out') return OPTED_OUT_REPLY;
  return cancelledReply(wording);
}

/** Twilio's AnsweredBy values that mean an answering machine or fax, not a person. */
export function isMachine(answeredBy: string | null | undefined): boolean {
  return !!answeredBy && (answeredBy.startsWith('machine') || answeredBy === 'fax');
}
