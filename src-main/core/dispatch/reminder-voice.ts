import { chooseMessage } from '../appointments/message-language';
import { renderReminderMessage } from '../appointments/reminder-message';
import type { Appointment, CallAttempt, Confirmation } from '../domain';
import type { Settings } from '../settings/schema';
import { getAppointment, setAppointmentConfirmation } from '../store/appointments';
import { countKeypadReprompt, getCallAttempt, setAttemptConfirmation } from '../store/call-attempts';
import type { Db } from '../store/database';
import { addToDoNotCall } from '../store/do-not-call';
import { isMachine } from '../twilio/keypad';
import { buildGatherReplyTwiml, buildReminderTwiml, buildVoicemailTwiml, type VoiceOptions } from '../twilio/reminder-twiml';

// What a reminder call says and what its keys do, for the callback server's /twiml and /gather. A person hears the
// message in the appointment's language and the keypad prompt; an answering machine (AnsweredBy on the TwiML
// request, MachineDetection=DetectMessageEnd) hears message.voicemail_template after the beep, with no prompt.

export interface ReminderVoiceOptions {
  db: Db;
  settings: () => Settings;
  now: () => string;
  /** After a keypad answer was stored (to push the call and the board). */
  onAnswer?: (attempt: CallAttempt, confirmation: Confirmation) => void;
}

export class ReminderVoice {
  constructor(private readonly opts: ReminderVoiceOptions) {}

  /** The spoken reminder for an appointment (the settings screen previews use it too). */
  message(appointment: Pick<Appointment, 'name' | 'appointmentAt' | 'location' | 'language' | 'timezone'>, kind: 'message' | 'voicemail' = 'message'): string {
    const settings = this.opts.settings();
    const choice = chooseMessage(settings, appointment.language);
    const template = kind === 'voicemail' ? settings.message.voicemail_template : choice.template;
    return renderReminderMessage(template, appointment, appointment.timezone ?? settings.scheduling.timezone, {
      callbackNumber: settings.message.callback_number,
    });
  }

  private voiceOptions(appointment: Pick<Appointment, 'language'>): VoiceOptions {
    const settings = this.opts.settings();
    return { say: chooseMessage(settings, appointment.language).voice, wording: { cancelWord: settings.message.cancel_word } };
  }

  private appointmentOf(attemptId: number): { attempt: CallAttempt; appointment: Appointment } | null {
    const attempt = getCallAttempt(this.opts.db, attemptId);
    const appointment = attempt ? getAppointment(this.opts.db, attempt.appointmentId) : null;
    return attempt && appointment ? { attempt, appointment } : null;
  }

  /** TwiML for /twiml; null when the attempt is unknown (404). */
  reminderTwiml(attemptId: number, gatherActionUrl: string, params: Record<string, string> = {}): string | null {
    const found = this.appointmentOf(attemptId);
    if (!found) return null;
    const voice = this.voiceOptions(found.appointment);
    if (isMachine(params.AnsweredBy)) {
      const action = this.opts.settings().calling.voicemail_action;
      return buildVoicemailTwiml({ message: action === 'leave_message' ? this.message(found.appointment, 'voicemail') : null, ...voice });
    }
    return buildReminderTwiml({ message: this.message(found.appointment), gatherActionUrl, ...voice });
  }

  /** TwiML for /gather: stores 1/2/9 with its time (9 also joins the do-not-call list), counts re-prompts. */
  gatherTwiml(attemptId: number, digits: string, gatherActionUrl: string | null): string {
    const found = this.appointmentOf(attemptId);
    const reply = buildGatherReplyTwiml(digits, {
      gatherActionUrl,
      repromptsSoFar: found?.attempt.keypadReprompts ?? 0,
      ...(found ? { message: this.message(found.appointment), ...this.voiceOptions(found.appointment) } : {}),
    });
    if (!found) return reply.twiml;
    if (reply.reprompted) countKeypadReprompt(this.opts.db, attemptId, this.opts.now());
    if (reply.confirmation) this.recordAnswer(found.attempt, found.appointment, reply.confirmation);
    return reply.twiml;
  }

  private recordAnswer(attempt: CallAttempt, appointment: Appointment, confirmation: Confirmation): void {
    const { db } = this.opts;
    const now = this.opts.now();
    db.transaction(() => {
      setAttemptConfirmation(db, attempt.id, confirmation, now);
      setAppointmentConfirmation(db, appointment.id, confirmation, now);
      if (confirmation === 'opted_out') {
        addToDoNotCall(db, { phoneNumber: appointment.phoneNumber, reason: 'pressed 9 on a reminder call', source: 'keypad', now });
      }
    })();
    this.opts.onAnswer?.(getCallAttempt(db, attempt.id)!, confirmation);
  }
}
