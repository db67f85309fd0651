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

/** Lifecycle of our own record of a call, before and after Twilio knows about it. */
export type AttemptState =
  | 'pending' // in the batch, not dialled yet
  | 'dialing' // written before calls.create; if we crash now, reconcile with Twilio's Calls list before dialing again
  | 'placed' // Twilio accepted the call and we stored its CallSid
  | 'rejected' // Twilio refused to create the call (error stored); never retried automatically
  | 'skipped'; // not dialled: the batch was cancelled, or a rule said no (reason in errorMessage, e.g. "do-not-call list")

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
