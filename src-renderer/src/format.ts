import type { CallSummary } from '../../src-main/core/api/contract';
import type { Confirmation, StatusSource } from '../../src-main/core/domain';

// Plain words for what Twilio reports, for front-desk staff rather than developers.

export type ChipTone = 'idle' | 'live' | 'good' | 'warn' | 'bad';

export function isVoicemail(answeredBy: string | null | undefined): boolean {
  return Boolean(answeredBy?.startsWith('machine'));
}

export function callStatusLabel(call: CallSummary | null): { label: string; tone: ChipTone } {
  if (!call) return { label: 'Not called', tone: 'idle' };
  switch (call.status) {
    case 'pending':
      return call.isFinal ? { label: 'Not placed', tone: 'bad' } : { label: 'Waiting', tone: 'idle' };
    case 'dialing':
      return call.isFinal ? { label: 'Not placed', tone: 'bad' } : { label: 'Dialing', tone: 'live' };
    case 'skipped':
      return { label: 'Skipped', tone: 'idle' };
    case 'queued':
      return { label: 'Queued', tone: 'live' };
    case 'initiated':
      return { label: 'Calling', tone: 'live' };
    case 'ringing':
      return { label: 'Ringing', tone: 'live' };
    case 'in-progress':
      return isVoicemail(call.answeredBy) ? { label: 'Voicemail', tone: 'live' } : { label: 'On the line', tone: 'live' };
    case 'completed':
      if (isVoicemail(call.answeredBy)) return { label: 'Voicemail', tone: 'warn' };
      return call.answered ? { label: 'Answered', tone: 'good' } : { label: 'Completed', tone: 'good' };
    case 'busy':
      return { label: 'Busy', tone: 'warn' };
    case 'no-answer':
      return { label: 'No answer', tone: 'warn' };
    case 'failed':
      // No CallSid: Twilio refused to place the call at all (e.g. an invalid number), which staff fix differently.
      return call.callSid ? { label: 'Failed', tone: 'bad' } : { label: 'Not placed', tone: 'bad' };
    case 'canceled':
      // Twilio's word for a call stopped before it was answered; "Cancelled" alone reads like the patient's answer.
      return { label: 'Call cancelled', tone: 'idle' };
  }
}

/** The reminder's outcome in one phrase: did the patient get the message? */
export function reminderStateLabel(call: CallSummary | null): string {
  if (!call) return 'Not sent';
  if (call.status === 'skipped') return 'Skipped';
  if (!call.isFinal) return call.status === 'pending' ? 'Waiting in batch' : 'Calling now';
  if (call.answered && isVoicemail(call.answeredBy)) return 'Left on voicemail';
  if (call.answered) return 'Delivered';
  return 'Not reached';
}

export function confirmationLabel(confirmation: Confirmation | null): string {
  if (confirmation === 'confirmed') return 'Confirmed';
  if (confirmation === 'cancelled') return 'Cancelled';
  return '—';
}

/** How a status reached Reminder Desk, in staff words (the raw source stays available as a tooltip). */
export function sourceLabel(source: StatusSource | null): string {
  if (source === 'callback') return 'From Twilio (live)';
  if (source === 'poll') return 'Checked with Twilio';
  if (source === 'reconcile') return 'Recovered from Twilio';
  return '—';
}

export function answeredByLabel(answeredBy: string | null): string {
  if (!answeredBy) return '—';
  if (answeredBy === 'human') return 'Person';
  if (isVoicemail(answeredBy)) return 'Voicemail';
  if (answeredBy === 'fax') return 'Fax machine';
  return 'Unknown';
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return 'Less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `About ${minutes} min left`;
  return `About ${Math.round(minutes / 60)} h left`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions, locale = undefined as string | undefined): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      found = new Intl.DateTimeFormat(locale, options); // an unknown zone name: fall back to this computer's
    }
    formatters.set(key, found);
  }
  return found;
}

/** "Tue, Mar 3, 9:30 AM" in the clinic's timezone, whatever the computer's own zone. */
export function formatAppointmentTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(timeZone, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
}

export function formatClock(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(timeZone, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(date);
}

export function formatDateTime(iso: string | null, timeZone: string): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatter(timeZone, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(date);
}

/** The clinic-local calendar day (YYYY-MM-DD) of an instant. */
export function clinicDay(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
  return formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').format(date);
}

export function formatDayHeading(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}
