import { maskPhone } from '../appointments/mask-phone';
import type { Appointment, Batch, CallAttempt, StatusEvent } from '../domain';
import type { AppointmentView, BatchProgress, CallbackRequestView, CallSummary, TimelineEvent } from '../api/contract';
import type { CallbackRequest } from '../store/callback-requests';
import { batchCounts } from '../store/call-attempts';
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
    updatedAt: attempt.updatedAt,
  };
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
  const stillRunning = batch.state === 'running' || batch.state === 'paused';
  return {
    batch,
    counts,
    total,
    finished: final,
    etaSeconds: toDial > 0 && stillRunning ? Math.ceil(toDial / callsPerSecond) : null,
    openCalls: Math.max(0, total - final - toDial),
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
