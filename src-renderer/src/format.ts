import type { StatusSource } from '../../src-main/core/domain';

// Plain words for what Twilio reports, for front-desk staff rather than developers. Status words come from the
// core's vocabulary (one table for the board, counts, timeline and CLI); this file adds formatting of times.
export { callStatusLabel, confirmationLabel, reminderStateLabel, statusLabel, type ChipTone } from '../../src-main/core/vocabulary/status-labels';
export { isVoicemail } from '../../src-main/core/vocabulary/status-filter';
import { isVoicemail } from '../../src-main/core/vocabulary/status-filter';


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

/** The clinic-local calendar day (YYYY-MM-DD) of an instant: the same rule the core filters the board with. */
export { clinicDayOf as clinicDay } from '../../src-main/core/vocabulary/clinic-day';

export function formatDayHeading(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "Next: 12 reminders at 2:00 PM" (today), "… on Tue, Jan 15 at 9:00 AM" (another day), or nothing scheduled. */
export function formatNextRun(next: { at: string | null; count: number }, timeZone: string, now = new Date()): string {
  if (!next.at || next.count === 0) return 'Nothing to call in the next two weeks.';
  const at = new Date(next.at);
  const time = formatter(timeZone, { hour: 'numeric', minute: '2-digit' }).format(at);
  const day = formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const when = day.format(at) === day.format(now) ? `at ${time}` : `on ${formatter(timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(at)} at ${time}`;
  return `Next: ${next.count} ${next.count === 1 ? 'reminder' : 'reminders'} ${when}`;
}
