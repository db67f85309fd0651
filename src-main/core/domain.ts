import type { SkipReasonWord } from './vocabulary/skip-reasons';

// Domain vocabulary shared by the core, the API contract and the renderer.
// Pure types only: this file is compiled for Node and for the browser.

/** Twilio's call statuses, as they appear in status callbacks (`initiated`) and on the Call resource (`queued`). */
export type CallStatus =
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'no-answer'
  | 'failed'
  | 'canceled';

/** Where a status came from: Twilio's status callback, our own poll, or the reconciliation sweep. */
export type StatusSource = 'callback' | 'poll' | 'reconcile';

/** The patient's keypad answer: 1 confirms, 2 cancels, 9 opts out of reminder calls (and joins the do-not-call list). */
export type Confirmation = 'confirmed' | 'cancelled' | 'opted_out';

export type BatchState = 'running' | 'paused' | 'cancelled' | 'completed' | 'timed_out';

/** Whether the engine works with the simulator (practice) or real Twilio calls; each keeps its own data. */
export type DataMode = 'practice' | 'real';

/**
 * What a reminder achieved for the desk, from a call attempt (core/calls/reminder-outcome.ts decides it):
 * confirmed / cancelled (a key pressed), reached (a person answered, no key), voicemail (a message was left),
 * not-reached (busy, no answer, failed, not placed), in-progress (ringing or on the line), not-called (the
 * batch was cancelled or a rule skipped it), waiting (in a batch, not dialled yet).
 */
export type ReminderOutcome = 'confirmed' | 'cancelled' | 'reached' | 'voicemail' | 'not-reached' | 'in-progress' | 'waiting' | 'not-called';

/**
 * Why a patient is not called by a batch (batches/eligibility.ts). `batch-cancelled` is the only one set after the
 * start. already-reminded: a person answered, a voicemail was left, or they confirmed / cancelled; being-called:
 * already in a batch that is still calling. Their words: vocabulary/skip-reasons.ts.
 */
export type SkipReason = SkipReasonWord;

/** Lifecycle of our own record of a call, before and after Twilio knows about it. */
export type AttemptState =
  | 'pending' // in the batch, not dialled yet
  | 'dialing' // written before calls.create; if we crash now, reconcile with Twilio's Calls list before dialing again
  | 'placed' // Twilio accepted the call and we stored its CallSid
  | 'rejected' // Twilio refused to create the call (error stored); never retried automatically
  | 'skipped'; // never dialled: the batch was cancelled first, or a rule skipped it (CallAttempt.skipReason says which)

export type CallbackMode = 'tunnel' | 'own-url' | 'polling' | 'simulator';

export interface Appointment {
  id: number;
  externalId: string | null;
  name: string;
  phoneNumber: string; // E.164
  email: string | null;
  appointmentAt: string; // ISO 8601 with offset, in the clinic's timezone
  location: string | null;
  confirmation: Confirmation | null;
  /** When the keypad answer arrived. */
  confirmedAt: string | null;
  /** Optional file column: which message.templates entry is spoken (null: en). */
  language: string | null;
  /** Optional file column: the patient's IANA time zone (null: scheduling.timezone). */
  timezone: string | null;
  importedAt: string;
  /** Imported in practice mode: only ever seen, called and exported in practice mode. */
  practice: boolean;
}

export interface CallAttempt {
  id: number;
  batchId: string;
  appointmentId: number;
  position: number;
  /** 1 for the first call of a reminder, 2.. for retries of a patient not reached. */
  attemptNumber: number;
  /** A retry is not dialled before this instant. */
  retryAt: string | null;
  state: AttemptState;
  callSid: string | null;
  statusCallbackUrl: string | null;
  twimlUrl: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  dialStartedAt: string | null;
  status: CallStatus | null;
  isFinal: boolean;
  statusSource: StatusSource | null;
  lastSequenceNumber: number | null;
  answered: boolean;
  answeredBy: string | null;
  durationSeconds: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  confirmation: Confirmation | null;
  confirmedAt: string | null;
  /** How often a missing or invalid key was asked again on this call. */
  keypadReprompts: number;
  attempts: number;
  /** Set when state is `skipped`: why this patient was not called. */
  skipReason: SkipReason | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  updatedAt: string;
}

export interface Batch {
  id: string;
  state: BatchState;
  simulated: boolean;
  createdAt: string;
  finishedAt: string | null;
  waitDeadline: string | null;
  total: number;
  /** The setup wizard's test call: never listed with the patients' batches. */
  testCall: boolean;
}

export interface StatusEvent {
  id: number;
  callSid: string;
  attemptId: number | null;
  source: StatusSource;
  sequenceNumber: number | null;
  callStatus: CallStatus;
  answeredBy: string | null;
  durationSeconds: number | null;
  errorCode: string | null;
  twilioTimestamp: string | null;
  receivedAt: string;
  params: Record<string, string>;
}
