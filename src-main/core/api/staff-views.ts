import type { Batch, DataMode, ReminderOutcome, SkipReason } from '../domain';

// The views of issue 8 ("safe and plain for front-desk staff"): batches named by their days, the plan shown before
// a batch starts, outcome counts and the needs-follow-up list, practice data, exports. Part of the API contract
// (contract.ts re-exports every type here).

/** A batch as staff see it: named by the appointment day(s) it covers. */
export interface BatchView extends Batch {
  /** e.g. "Wed, Nov 25" or "Nov 25 – Nov 27" (clinic time); "Test call" for the wizard's call. */
  label: string;
  /** The clinic days (YYYY-MM-DD) of the batch's appointments, in order. */
  days: string[];
  mode: DataMode;
}

/** What staff can act on, counted per patient from final outcomes only (ringing / on the line are not outcomes). */
export interface OutcomeCounts {
  confirmed: number;
  /** Cancelled by the patient: needs rescheduling. */
  cancelled: number;
  /** A person answered and pressed no key. */
  reached: number;
  voicemail: number;
  notReached: number;
  /** Not reached, by why. `notPlaced`: Twilio refused or never created the call. */
  notReachedBy: { busy: number; noAnswer: number; failed: number; notPlaced: number };
}

/** One patient a batch would not call, and why. */
export interface PlannedSkip {
  appointmentId: number;
  name: string;
  appointmentAt: string;
  reason: SkipReason;
  /** The last outcome, for already-reminded patients (what "call again" would repeat). */
  lastOutcome: ReminderOutcome | null;
}

/** The confirmation staff see before a batch starts: nothing here dials. */
export interface BatchPlan {
  /** Appointment ids that would be called, in calling order. */
  toCall: number[];
  skipped: PlannedSkip[];
  skippedCounts: Partial<Record<SkipReason, number>>;
  /** The caller number (the clinic's own), full. Null when none is set up. */
  fromNumber: string | null;
  mode: DataMode;
  /** The batch's name: the appointment day(s) it covers. */
  label: string;
  callingHours: { start: string; end: string; timezone: string; withinNow: boolean };
  /** Batches of this mode still calling or paused: starting another needs `alongsideRunning: true`. */
  runningBatches: BatchView[];
  /** Why nothing can be started right now (no Twilio set up, ...), or null. */
  blockedReason: string | null;
}

/** Needs follow-up: the patient cancelled (reschedule) or was not reached. */
export interface FollowUpRow {
  appointmentId: number;
  name: string;
  /** Full number: staff call these patients back. */
  phoneNumber: string;
  appointmentAt: string;
  location: string | null;
  outcome: 'cancelled' | 'not-reached';
  /** For not-reached: busy / no-answer / failed / not-placed. */
  notReachedBy: 'busy' | 'no-answer' | 'failed' | 'not-placed' | null;
  batchId: string;
  lastCallAt: string | null;
}

export interface ResultsView {
  /** What the results cover: a batch's label or the day. */
  label: string;
  outcomes: OutcomeCounts;
  /** Patients whose reminder is still ringing / waiting to be dialled. */
  inProgress: number;
  /** Patients in scope never called (no batch yet, or cancelled / skipped). */
  notCalled: number;
  followUp: FollowUpRow[];
  batches: BatchView[];
}

/** What leaving practice mode does with the practice data. */
export interface PracticeDataSummary {
  appointments: number;
  batches: number;
  calls: number;
}

export type ExportFormat = 'csv' | 'xlsx';
export interface ExportResult {
  savedTo: string | null;
  downloadUrl: string | null;
  /** The default file name, made in one place (core/export/export-file-name.ts). */
  fileName: string;
}
