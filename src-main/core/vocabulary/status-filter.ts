// The board's status filter, in staff words. The core filters with it ('appointments/list'); the renderer only
// offers the choices. No zod here: the preload and the renderer import this folder.

export const STAFF_STATUS_FILTERS = ['all', 'not-called', 'calling', 'answered', 'voicemail', 'not-reached', 'confirmed', 'cancelled'] as const;
export type StaffStatusFilter = (typeof STAFF_STATUS_FILTERS)[number];

/** A call's own status as the board shows it: Twilio's words, or ours before Twilio reports. Also a filter (CLI, scripts). */
export const CALL_STATUS_WORDS = ['pending', 'dialing', 'skipped', 'queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type CallStatusWord = (typeof CALL_STATUS_WORDS)[number];

export const STATUS_FILTERS = [...STAFF_STATUS_FILTERS, ...CALL_STATUS_WORDS] as const;
export type StatusFilter = StaffStatusFilter | CallStatusWord;

export const STATUS_FILTER_LABELS: Readonly<Record<StaffStatusFilter, string>> = {
  all: 'Every status',
  'not-called': 'Not called yet',
  calling: 'Calling now',
  answered: 'Answered',
  voicemail: 'Voicemail',
  'not-reached': 'Not reached (busy, no answer, failed)',
  confirmed: 'Confirmed',
  cancelled: 'Cancelled',
};

/** Twilio's AnsweredBy for an answering machine: machine_start, machine_end_beep, machine_end_silence, machine_end_other. */
export function isVoicemail(answeredBy: string | null | undefined): boolean {
  return Boolean(answeredBy?.startsWith('machine'));
}

/** What a filter needs to know of a board row: its latest call and the patient's answer. */
export interface FilterableRow {
  confirmation: string | null;
  call: { status: string; isFinal: boolean; answered: boolean; answeredBy: string | null } | null;
}

export function matchesStatusFilter(row: FilterableRow, filter: StatusFilter | undefined): boolean {
  const call = row.call;
  switch (filter ?? 'all') {
    case 'all':
      return true;
    case 'not-called':
      return !call || call.status === 'skipped';
    case 'calling':
      return Boolean(call && !call.isFinal && call.status !== 'skipped');
    case 'answered':
      return Boolean(call?.answered && !isVoicemail(call.answeredBy));
    case 'voicemail':
      return Boolean(call && isVoicemail(call.answeredBy));
    case 'not-reached':
      return Boolean(call?.isFinal && !call.answered && call.status !== 'skipped');
    case 'confirmed':
      return row.confirmation === 'confirmed';
    case 'cancelled':
      return row.confirmation === 'cancelled';
    default:
      return call?.status === filter;
  }
}
