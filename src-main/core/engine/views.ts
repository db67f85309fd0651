import { maskPhone } from '../appointments/mask-phone';
import type { Appointment, Batch, CallAttempt, StatusEvent } from '../domain';
import type { AppointmentView, BatchProgress, BatchView, CallbackRequestView, CallSummary, TimelineEvent } from '../api/contract';
import { reminderOutcome } from '../calls/reminder-outcome';
import { batchLabel } from '../results/batch-label';
import { tallyAttempts } from '../results/outcome-counts';
import { batchAppointmentDays } from '../store/batches';
import type { CallbackRequest } from '../store/callback-requests';
import { batchAttemptGroups, batchCounts } from '../store/call-attempts';
import type { Db } from '../store/database';

// Turns store records into the views the UI renders. Pure apart from the counts query, so the same
// shapes reach the renderer whether it asked (operations) or was told (pushed events).

/** The status chip: Twilio's status once Twilio reported one, otherwise our own attempt state. */
export function toCallSummary(attempt: CallAttempt): CallSummary {
  const status: CallSummary['status'] =
    attempt.status ?? (attempt.state === 'skipped' ? 'skipped' : attempt.state === 'dialing' || attempt.state === 'placed' ? 'dialing' : 'pending');
  return {
    attemptId: attempt.id,
    batchId: attempt.batchId,
    callSid: attempt.callSid,
    status,
    isFinal: attempt.isFinal,
    source: attempt.statusSource,
    answered: attempt.answered,
    answeredBy: attempt.answeredBy,
    durationSeconds: attempt.durationSeconds,
    errorMessage: attempt.errorMessage,
    confirmation: attempt.confirmation,
    outcome: reminderOutcome(attempt),
    skipReason: attempt.state === 'skipped' ? (attempt.skipReason ?? 'batch-cancelled') : null,
    updatedAt: attempt.updatedAt,
  };
}

/** A batch named by the appointment day(s) it covers. */
export function toBatchView(db: Db, batch: Batch): BatchView {
  const days = batchAppointmentDays(db, batch.id);
  return { ...batch, label: batchLabel(days, { testCall: batch.testCall }), days, mode: batch.simulated ? 'practice' : 'real' };
}

export function toAppointmentView(appointment: Appointment, latest: CallAttempt | null | undefined): AppointmentView {
  return {
    id: appointment.id,
    name: appointment.name,
    maskedPhone: maskPhone(appointment.phoneNumber),
    appointmentAt: appointment.appointmentAt,
    location: appointment.location,
    // A key pressed on the latest call is the freshest answer; the appointment keeps it across batches.
    confirmation: latest?.confirmation ?? appointment.confirmation,
    call: latest ? toCallSummary(latest) : null,
  };
}

export function toTimelineEvent(event: StatusEvent): TimelineEvent {
  return {
    id: event.id,
    source: event.source,
    sequenceNumber: event.sequenceNumber,
    callStatus: event.callStatus,
    answeredBy: event.answeredBy,
    durationSeconds: event.durationSeconds,
    errorCode: event.errorCode,
    twilioTimestamp: event.twilioTimestamp,
    receivedAt: event.receivedAt,
  };
}

/**
 * Counts per status and an ETA from the calling pace: the calls still to dial, spaced at
 * `calling.calls_per_second`. Null once nothing is left to dial (the rest is Twilio's call progress).
 */
export function batchProgress(db: Db, batch: Batch, callsPerSecond: number): BatchProgress {
  const { counts, total, final } = batchCounts(db, batch.id);
  const toDial = counts.pending ?? 0;
  const tally = tallyAttempts(batchAttemptGroups(db, batch.id));
  // A cancelled (or finished) batch is not done while calls placed before the cancel are still ringing.
  const phase: BatchProgress['phase'] =
    batch.state === 'paused' ? 'paused' : batch.state === 'running' ? 'calling' : tally.liveCalls > 0 ? 'finishing' : 'done';
  return {
    batch: toBatchView(db, batch),
    counts,
    total,
    finished: final,
    etaSeconds: toDial > 0 && batch.state === 'running' ? Math.ceil(toDial / callsPerSecond) : null,
    openCalls: Math.max(0, total - final - toDial),
    outcomes: tally.outcomes,
    liveCalls: tally.liveCalls,
    waiting: tally.waiting,
    notCalledCancelled: tally.notCalledCancelled,
    skippedByRule: tally.skippedByRule,
    phase,
  };
}

/** A callback-inspector row as the UI and `reminder-desk callbacks` show it (headers and body stay in the store). */
export function toCallbackRequestView(r: CallbackRequest): CallbackRequestView {
  return {
    id: r.id,
    receivedAt: r.receivedAt,
    method: r.method,
    path: r.path,
    callSid: r.callSid,
    signatureVerdict: r.signatureVerdict,
    rejectionReason: r.rejectionReason,
    responseStatus: r.responseStatus,
    latencyMs: r.latencyMs,
  };
}
