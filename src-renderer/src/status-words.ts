import type { DataMode, ReminderOutcome, SkipReason, StatusSource } from '../../src-main/core/domain';
import { SKIP_REASON_WORDS } from '../../src-main/core/vocabulary/skip-reasons';
import { isVoicemail } from '../../src-main/core/vocabulary/status-filter';

// Every word the screens use for a call's status, a reminder's result or a skip reason, in ONE renderer module.
// Call statuses and the board's filters come from the core's vocabulary (core/vocabulary/); what is here is the
// renderer's own: the five results staff act on and modes (skip reasons and plurals come from the vocabulary too).
// Words are for front-desk staff: Twilio's own terms stay in data attributes and the "Details" areas.

// Call-status words come from the core's one vocabulary (the board, counts, timeline and CLI say the same thing).
export { callStatusLabel, confirmationLabel, reminderStateLabel, statusLabel, type ChipTone } from '../../src-main/core/vocabulary/status-labels';
export { isVoicemail } from '../../src-main/core/vocabulary/status-filter';

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

// ---- what the desk wants to know: the reminder's result ------------------------------------------------------

/** The five answers staff act on (issue 8 §5). */
export type ResultGroup = 'confirmed' | 'cancelled' | 'reached' | 'voicemail' | 'not-reached';

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

// ---- the board's status filter (the core filters with the same list) -------------------------------------------

export { STAFF_STATUS_FILTERS, STATUS_FILTER_LABELS, matchesStatusFilter, type StaffStatusFilter } from '../../src-main/core/vocabulary/status-filter';

// ---- plurals --------------------------------------------------------------------------------------------

/** "1 call", "1,200 calls": the core's one plural, so the screens and the CLI count the same way. */
export { plural } from '../../src-main/core/vocabulary/skip-reasons';

// ---- why a patient is not called ------------------------------------------------------------------------------

export const SKIP_REASON_LABELS = Object.fromEntries(
  Object.entries(SKIP_REASON_WORDS).map(([reason, words]) => [reason, words.label]),
) as Readonly<Record<SkipReason, string>>;

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
