import type { AppointmentView, CallSummary } from '../../src-main/core/api/contract';
import type { Confirmation, DataMode, ReminderOutcome, SkipReason, StatusSource } from '../../src-main/core/domain';

// Every word the screens use for a call's status, a reminder's outcome or a batch count, in ONE module: the core is
// getting a shared status vocabulary (core/vocabulary/), and switching to it should touch this file only.
// Words are for front-desk staff: Twilio's own terms stay in data attributes and the "Details" areas.

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
      return { label: 'Not called', tone: 'idle' };
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

/** The reminder's outcome in one phrase: did the patient get the message? Kept short for the 1024-px board. */
export function reminderStateLabel(call: CallSummary | null): string {
  if (!call) return 'Not sent';
  if (call.status === 'skipped') return 'Not called';
  if (!call.isFinal) return call.status === 'pending' ? 'Waiting in batch' : 'Calling now';
  if (call.answered && isVoicemail(call.answeredBy)) return 'Voicemail left';
  if (call.answered) return 'Delivered';
  return 'Not reached';
}

export function confirmationLabel(confirmation: Confirmation | null): string {
  if (confirmation === 'confirmed') return 'Confirmed';
  if (confirmation === 'cancelled') return 'Cancelled';
  return '—';
}

/** How a status reached Reminder Desk, in staff words (shown only in the timeline's details). */
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

/** One step of a call's timeline. */
export const EVENT_STATUS_WORDS: Record<string, string> = {
  queued: 'Queued',
  initiated: 'Call started',
  ringing: 'Ringing',
  'in-progress': 'Answered',
  completed: 'Call ended',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Call cancelled',
};

// ---- what the desk wants to know: the reminder's result ------------------------------------------------------

/** The five answers staff act on (issue 8 §5). */
export type ResultGroup = 'confirmed' | 'cancelled' | 'reached' | 'voicemail' | 'not-reached';

export const RESULT_GROUP_LABELS: Record<ResultGroup, string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled (needs rescheduling)',
  reached: 'Reached',
  voicemail: 'Voicemail left',
  'not-reached': 'Not reached',
};

/** For tiles and the chart, where the hint or the follow-up list says the rest. */
export const RESULT_GROUP_SHORT: Record<ResultGroup, string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  reached: 'Reached',
  voicemail: 'Voicemail left',
  'not-reached': 'Not reached',
};

export const RESULT_GROUP_HINTS: Record<ResultGroup, string> = {
  confirmed: 'pressed 1',
  cancelled: 'needs rescheduling (pressed 2)',
  reached: 'a person answered, no key pressed',
  voicemail: 'message left after the beep',
  'not-reached': 'busy, no answer, failed or not placed',
};

/** The result group of one appointment's latest call, or null while the call is open / not made (the core decides it). */
export function resultGroup(row: Pick<AppointmentView, 'confirmation' | 'call'>): ResultGroup | null {
  if (row.confirmation === 'confirmed') return 'confirmed';
  if (row.confirmation === 'cancelled') return 'cancelled';
  const outcome = row.call?.outcome;
  return outcome === 'confirmed' || outcome === 'cancelled' || outcome === 'reached' || outcome === 'voicemail' || outcome === 'not-reached' ? outcome : null;
}

// ---- the board's status filter ------------------------------------------------------------------------------

export type StatusFilter = 'all' | 'not-called' | 'calling' | ResultGroup;

export const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'Every status' },
  { value: 'not-called', label: 'Not called yet' },
  { value: 'calling', label: 'Calling now' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'cancelled', label: 'Cancelled (needs rescheduling)' },
  { value: 'reached', label: 'Reached' },
  { value: 'voicemail', label: 'Voicemail left' },
  { value: 'not-reached', label: 'Not reached (busy, no answer, failed)' },
];

export function matchesStatusFilter(row: AppointmentView, filter: StatusFilter): boolean {
  const call = row.call;
  switch (filter) {
    case 'all':
      return true;
    case 'not-called':
      return !call || call.status === 'skipped';
    case 'calling':
      return Boolean(call && !call.isFinal && call.status !== 'skipped');
    default:
      return resultGroup(row) === filter;
  }
}

// ---- plurals --------------------------------------------------------------------------------------------

/** "1 call", "2 calls", "1 patient", "3 patients": English plurals for the counts staff read. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---- why a patient is not called ------------------------------------------------------------------------------

export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  'already-reminded': 'Already reminded',
  'being-called': 'Already in a batch that is calling',
  'appointment-passed': 'Appointment already passed',
  'outside-calling-hours': 'Outside calling hours',
  'do-not-call': 'On the do-not-call list',
  'batch-cancelled': 'Not called (batch cancelled)',
};

/** What the last reminder achieved, in a few words (for "already reminded: voicemail left"). */
export const OUTCOME_WORDS: Record<ReminderOutcome, string> = {
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
  reached: 'Reached',
  voicemail: 'Voicemail left',
  'not-reached': 'Not reached',
  'in-progress': 'Calling now',
  waiting: 'Waiting in batch',
  'not-called': 'Not called',
};

export function dataModeLabel(mode: DataMode): string {
  return mode === 'practice' ? 'Practice (simulated: no phone rings)' : 'Real calls: patients’ phones will ring';
}
