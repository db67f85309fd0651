import { chooseMessage } from '../appointments/message-language';
import { renderReminderMessage } from '../appointments/reminder-message';
import { gatherActionUrlFor } from '../callbacks/endpoint-urls';
import type { Appointment, CallAttempt, Confirmation } from '../domain';
import type { EngineContext } from '../engine-context';
import { getAppointment, setAppointmentConfirmation } from '../store/appointments';
import { countKeypadReprompt, getCallAttempt, setAttemptConfirmation } from '../store/call-attempts';
import { nowIso } from '../store/database';
import { createLogger } from '../logging/logger';
import { addToDoNotCall } from '../store/do-not-call';
import { isMachine } from '../twilio/keypad';
import { buildGatherReplyTwiml, buildReminderTwiml, buildVoicemailTwiml, type VoiceOptions } from '../twilio/reminder-twiml';
import { reminderVoice } from '../twilio/reminder-voice';
import type { UiPushes } from '../ui-pushes';

// What a reminder call says (TwiML for the call's voice URL) and what a key pressed on it means (the keypad
// answer, stored with its time on the attempt and the appointment). A person hears the message in the
// appointment's language and the keypad prompt; an answering machine (AnsweredBy on the TwiML request, asked for
// with MachineDetection=DetectMessageEnd) hears message.voicemail_template after the beep, with no prompt.

type SpokenAppointment = Pick<Appointment, 'name' | 'appointmentAt' | 'location'> & Partial<Pick<Appointment, 'language' | 'timezone'>>;

const log = createLogger('voice');

export class Voice {
  constructor(
    private readonly ctx: EngineContext,
    private readonly pushes: Pick<UiPushes, 'call' | 'appointmentsChanged'>,
  ) {}

  /** The spoken reminder (kind `voicemail`: what a machine records). The settings screen previews use it too. */
  renderMessage(appointment: SpokenAppointment, kind: 'message' | 'voicemail' = 'message'): string {
    const settings = this.ctx.getSettings();
    const choice = chooseMessage(settings, appointment.language);
    const template = kind === 'voicemail' ? choice.voicemailTemplate : choice.template;
    // A language without its own template speaks the English one: its dates stay English too.
    const spokenIn = template === settings.message.message_template || template === settings.message.voicemail_template ? 'en' : choice.language;
    return renderReminderMessage(template, appointment, appointment.timezone ?? settings.scheduling.timezone, {
      callbackNumber: settings.message.callback_number,
      language: spokenIn,
    });
  }

  private voiceOptions(appointment: SpokenAppointment): VoiceOptions {
    const settings = this.ctx.getSettings();
    return { say: chooseMessage(settings, appointment.language).voice, wording: { cancelWord: settings.message.cancel_word } };
  }

  private find(attemptId: number): { attempt: CallAttempt; appointment: Appointment } | null {
    const attempt = getCallAttempt(this.ctx.db, attemptId);
    const appointment = attempt ? getAppointment(this.ctx.db, attempt.appointmentId) : null;
    return attempt && appointment ? { attempt, appointment } : null;
  }

  /** TwiML for /twiml; null when the attempt is unknown (404). `params` is Twilio's request (AnsweredBy). */
  reminderTwiml(attemptId: number, gatherActionUrl: string, params: Record<string, string> = {}): string | null {
    const found = this.find(attemptId);
    if (!found) return null;
    const options = this.voiceOptions(found.appointment);
    const settings = this.ctx.getSettings();
    const machine = isMachine(params.AnsweredBy);
    if (machine && settings.calling.voicemail_action !== 'leave_message') return buildVoicemailTwiml({ message: null, ...options });
    const kind = machine ? 'voicemail' : 'message';
    // Through reminderVoice: a reminder that can't be built still gives a call (a generic one), and a log line.
    const voice = reminderVoice({
      template: settings.message.message_template,
      timezone: settings.scheduling.timezone,
      appointment: found.appointment,
      gatherActionUrl,
      render: (appointment) => this.renderMessage({ ...found.appointment, ...appointment }, kind),
      build: (message) => (machine ? buildVoicemailTwiml({ message, ...options }) : buildReminderTwiml({ message, gatherActionUrl, ...options })),
    });
    if (voice.problem) log.warn(voice.problem, { attemptId }); // the problem names no patient value
    return voice.twiml;
  }

  /** TwiML for /gather: stores 1/2/9 with its time (9 also joins the do-not-call list); one re-prompt, then goodbye. */
  gatherTwiml(attemptId: number, digits: string): string {
    const found = this.find(attemptId);
    const twimlUrl = found?.attempt.twimlUrl ?? null;
    const reply = buildGatherReplyTwiml(digits, {
      gatherActionUrl: twimlUrl ? gatherActionUrlFor(twimlUrl, attemptId) : null,
      repromptsSoFar: found?.attempt.keypadReprompts ?? 0,
      ...(found ? { message: this.renderMessage(found.appointment), ...this.voiceOptions(found.appointment) } : {}),
    });
    if (!found) return reply.twiml;
    if (reply.reprompted) countKeypadReprompt(this.ctx.db, attemptId, nowIso(this.ctx.clock));
    if (reply.confirmation) this.recordConfirmation(found.attempt, found.appointment, reply.confirmation);
    return reply.twiml;
  }

  private recordConfirmation(attempt: CallAttempt, appointment: Appointment, confirmation: Confirmation): void {
    const db = this.ctx.db;
    const now = nowIso(this.ctx.clock);
    db.transaction(() => {
      setAttemptConfirmation(db, attempt.id, confirmation, now);
      setAppointmentConfirmation(db, appointment.id, confirmation, now);
      if (confirmation === 'opted_out') {
        addToDoNotCall(db, { phoneNumber: appointment.phoneNumber, reason: 'pressed 9 on a reminder call', source: 'keypad', now });
      }
    })();
    this.pushes.call(getCallAttempt(db, attempt.id)!);
    this.pushes.appointmentsChanged('confirmation');
  }
}
