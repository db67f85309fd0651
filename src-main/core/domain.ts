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

export type Confirmation = 'confirmed' | 'cancelled';

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

/** Why a patient is not called by a batch (core/dispatch/eligibility.ts). `batch-cancelled` is the only one set after the start. */
export type SkipReason =
  | 'already-reminded' // a person answered, a voicemail was left, or they confirmed / cancelled
  | 'being-called' // already in a batch that is still calling
  | 'appointment-passed'
  | 'outside-calling-hours'
  | 'do-not-call'
  | 'batch-cancelled';

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
  importedAt: string;
  /** Imported in practice mode: only ever seen, called and exported in practice mode. */
  practice: boolean;
}

export interface CallAttempt {
  id: number;
  batchId: string;
  appointmentId: number;
  position: number;
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
