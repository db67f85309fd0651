// What /twiml answers for a reminder, whatever the appointment holds. Twilio treats a 500 (or invalid TwiML)
// as an application error that it plays to the patient; so when the reminder can't be built, the patient hears
// a short generic reminder instead, and staff get a log line naming the real cause and no patient data.

import { renderReminderMessage } from '../appointments/reminder-message';
import { buildReminderTwiml, TwimlTooLongError } from './reminder-twiml';
import twilio from 'twilio';

/** Spoken when the real reminder can't be: no name, date or place, so it can't be too long or malformed. */
export const FALLBACK_REMINDER =
  'Hello. This is a reminder call from your clinic about an upcoming appointment. Please call the clinic to confirm the details. Goodbye.';

export interface ReminderVoiceInput {
  template: string;
  timezone: string;
  appointment: { name: string; appointmentAt: string; location: string | null };
  gatherActionUrl: string | null;
  /** Issue 10: the text for this appointment (language, voicemail) instead of template + timezone. */
  render?: (appointment: { name: string; appointmentAt: string; location: string | null }) => string;
  /** Issue 10: the TwiML for a message (voice, keypad wording, voicemail) instead of the plain reminder. */
  build?: (message: string) => string;
}

/** The reminder's TwiML, or the fallback with `problem` saying why (in words fit for a log: no patient values). */
export function reminderVoice(input: ReminderVoiceInput): { twiml: string; problem: string | null } {
  const render = input.render ?? ((appointment: ReminderVoiceInput['appointment']): string => renderReminderMessage(input.template, appointment, input.timezone));
  const build = input.build ?? ((message: string): string => buildReminderTwiml({ message, gatherActionUrl: input.gatherActionUrl }));
  try {
    return { twiml: build(render(input.appointment)), problem: null };
  } catch (error) {
    return { twiml: fallbackTwiml(), problem: describeFailure(error, () => render({ ...input.appointment, name: 'A', location: 'B' }), build) };
  }
}

function fallbackTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(FALLBACK_REMINDER);
  return response.toString();
}

/** Which part is to blame: the template (too long even with one-letter values) or this appointment's values. */
function describeFailure(error: unknown, renderWithShortValues: () => string, build: (message: string) => string): string {
  if (error instanceof TwimlTooLongError) {
    let templateTooLong = false;
    try {
      build(renderWithShortValues());
    } catch {
      templateTooLong = true;
    }
    return templateTooLong
      ? 'The reminder did not fit in a phone call: message.message_template is too long (Twilio allows 4,000 characters of TwiML); the patient heard the generic reminder.'
      : "The reminder did not fit in a phone call: this appointment's name or location is too long for message.message_template (Twilio allows 4,000 characters of TwiML); the patient heard the generic reminder.";
  }
  // Not the error's message: the TwiML builder's errors quote the text, which holds the patient's details.
  return `The reminder could not be turned into TwiML (${error instanceof Error ? error.name : 'unknown error'}); the patient heard the generic reminder.`;
}
