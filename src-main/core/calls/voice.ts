import { renderReminderMessage } from '../appointments/reminder-message';
import { gatherActionUrlFor } from '../callbacks/endpoint-urls';
import type { Appointment, Confirmation } from '../domain';
import type { EngineContext } from '../engine-context';
import { getAppointment, setAppointmentConfirmation } from '../store/appointments';
import { getCallAttempt, setAttemptConfirmation } from '../store/call-attempts';
import { nowIso } from '../store/database';
import { createLogger } from '../logging/logger';
import { buildGatherReplyTwiml } from '../twilio/reminder-twiml';
import { reminderVoice } from '../twilio/reminder-voice';
import type { UiPushes } from '../ui-pushes';

// What a reminder call says (TwiML for the call's voice URL) and what a key pressed on it means (the keypad
// answer, stored on the attempt and the appointment). The callback listener asks this room for both.

const log = createLogger('voice');

export class Voice {
  constructor(
    private readonly ctx: EngineContext,
    private readonly pushes: Pick<UiPushes, 'call' | 'appointmentsChanged'>,
  ) {}

  renderMessage(appointment: Pick<Appointment, 'name' | 'appointmentAt' | 'location'>): string {
    const settings = this.ctx.getSettings();
    return renderReminderMessage(settings.message.message_template, appointment, settings.scheduling.timezone);
  }

  reminderTwiml(attemptId: number, gatherActionUrl: string): string | null {
    const attempt = getCallAttempt(this.ctx.db, attemptId);
    const appointment = attempt ? getAppointment(this.ctx.db, attempt.appointmentId) : null;
    if (!appointment) return null;
    const { message, scheduling } = this.ctx.getSettings();
    const voice = reminderVoice({ template: message.message_template, timezone: scheduling.timezone, appointment, gatherActionUrl });
    if (voice.problem) log.warn(voice.problem, { attemptId }); // the problem names no patient value
    return voice.twiml;
  }

  gatherTwiml(attemptId: number, digits: string): string {
    // A key other than 1 or 2 is asked once more, at the same keypad endpoint the reminder used.
    const twimlUrl = getCallAttempt(this.ctx.db, attemptId)?.twimlUrl ?? null;
    const reply = buildGatherReplyTwiml(digits, { gatherActionUrl: twimlUrl ? gatherActionUrlFor(twimlUrl, attemptId) : null });
    if (reply.confirmation) this.recordConfirmation(attemptId, reply.confirmation);
    return reply.twiml;
  }

  private recordConfirmation(attemptId: number, confirmation: Confirmation): void {
    const db = this.ctx.db;
    const attempt = getCallAttempt(db, attemptId);
    if (!attempt) return;
    const now = nowIso(this.ctx.clock);
    db.transaction(() => {
      setAttemptConfirmation(db, attemptId, confirmation, now);
      setAppointmentConfirmation(db, attempt.appointmentId, confirmation, now);
    })();
    this.pushes.call(getCallAttempt(db, attemptId)!);
    this.pushes.appointmentsChanged('confirmation');
  }
}
