import type { FollowUpRow, ResultsView } from '../api/contract';
import { isReminded, notReachedKind, outcomeOfConfirmation, reminderOutcome } from '../calls/reminder-outcome';
import type { Appointment, Batch, CallAttempt, ReminderOutcome } from '../domain';
import { clinicDayRange } from '../vocabulary/clinic-day';
import { toBatchView } from '../batches/batch-view';
import { getAppointments, listAppointments } from '../store/appointments';
import { listBatches } from '../store/batches';
import { listBatchAttempts } from '../store/call-attempts';
import { batchAttemptGroups, callsOfAppointments } from '../store/call-history';
import type { Db } from '../store/database';
import { batchLabel } from './batch-label';
import { addOutcome, emptyOutcomeCounts, tallyAttempts } from './outcome-counts';

// Results the desk can act on (issue 8): per batch and per clinic day, counts of final outcomes and the
// "Needs follow-up" list (patients who cancelled: reschedule; patients not reached: call back), with the full
// number staff need for that call. Never shown to anyone but staff, never logged.

export interface PatientStanding {
  outcome: ReminderOutcome;
  /** The call that decided it (null: never called). */
  call: CallAttempt | null;
}

/**
 * Where a patient stands now, from all their calls (newest first): a key pressed on any call, else a call still
 * going, else the latest call that reached them, else the latest call's outcome; never called: not-called.
 */
export function patientStanding(appointment: Pick<Appointment, 'confirmation'>, calls: readonly CallAttempt[]): PatientStanding {
  const keyed = calls.find((c) => c.confirmation !== null);
  if (keyed) return { outcome: reminderOutcome(keyed), call: keyed };
  if (appointment.confirmation) return { outcome: outcomeOfConfirmation(appointment.confirmation), call: calls[0] ?? null };
  const live = calls.find((c) => ['in-progress', 'waiting'].includes(reminderOutcome(c)));
  if (live) return { outcome: reminderOutcome(live), call: live };
  const reached = calls.find((c) => isReminded(reminderOutcome(c)));
  if (reached) return { outcome: reminderOutcome(reached), call: reached };
  const latest = calls[0];
  return latest ? { outcome: reminderOutcome(latest), call: latest } : { outcome: 'not-called', call: null };
}

function followUpRow(appointment: Appointment, standing: PatientStanding): FollowUpRow | null {
  if (standing.outcome !== 'cancelled' && standing.outcome !== 'not-reached') return null;
  const call = standing.call;
  return {
    appointmentId: appointment.id,
    name: appointment.name,
    phoneNumber: appointment.phoneNumber,
    appointmentAt: appointment.appointmentAt,
    location: appointment.location,
    outcome: standing.outcome,
    notReachedBy: standing.outcome === 'not-reached' && call ? notReachedKind(call) : null,
    batchId: call?.batchId ?? '',
    lastCallAt: call ? (call.endedAt ?? call.dialStartedAt ?? call.updatedAt) : null,
  };
}

/** Sorted by appointment time, then name: the order staff work through the list. */
function byAppointmentTime(a: FollowUpRow, b: FollowUpRow): number {
  return a.appointmentAt.localeCompare(b.appointmentAt) || a.name.localeCompare(b.name);
}

/** A batch's results: what its own calls achieved; follow-up by where each patient stands now. */
export function batchResults(db: Db, batch: Batch): ResultsView {
  const attempts = listBatchAttempts(db, batch.id);
  const calls = attempts.filter((a) => !(a.state === 'skipped' && a.skipReason && a.skipReason !== 'batch-cancelled'));
  const appointments = getAppointments(
    db,
    calls.map((a) => a.appointmentId),
  );
  const history = callsOfAppointments(
    db,
    appointments.map((a) => a.id),
  );
  // The same tally as the batch's progress (outcome-counts.ts), over the same grouped read.
  const tally = tallyAttempts(batchAttemptGroups(db, batch.id));
  const skippedByRule = Object.values(tally.skippedByRule).reduce((sum, n) => sum + n, 0);
  const followUp = appointments.flatMap((a) => followUpRow(a, patientStanding(a, history.get(a.id) ?? [])) ?? []).sort(byAppointmentTime);
  const view = toBatchView(db, batch);
  return {
    label: view.label,
    outcomes: tally.outcomes,
    inProgress: tally.liveCalls + tally.waiting,
    notCalled: tally.notCalledCancelled + skippedByRule,
    followUp,
    batches: [view],
  };
}

/** A clinic day's results: every patient of that day in this mode, by where they stand now. */
export function dayResults(db: Db, day: string, opts: { timezone: string; practice: boolean }): ResultsView {
  const appointments = listAppointments(db, { practice: opts.practice, ...clinicDayRange(day, opts.timezone) });
  const history = callsOfAppointments(
    db,
    appointments.map((a) => a.id),
  );
  const outcomes = emptyOutcomeCounts();
  let inProgress = 0;
  let notCalled = 0;
  const followUp: FollowUpRow[] = [];
  const batchIds = new Set<string>();
  for (const appointment of appointments) {
    const calls = history.get(appointment.id) ?? [];
    for (const c of calls) batchIds.add(c.batchId);
    const standing = patientStanding(appointment, calls);
    if (standing.outcome === 'in-progress' || standing.outcome === 'waiting') inProgress += 1;
    else if (standing.outcome === 'not-called') notCalled += 1;
    else addOutcome(outcomes, standing.outcome, standing.call);
    const row = followUpRow(appointment, standing);
    if (row) followUp.push(row);
  }
  const batches = listBatches(db, { practice: opts.practice })
    .filter((b) => batchIds.has(b.id))
    .map((b) => toBatchView(db, b));
  return { label: batchLabel([day]), outcomes, inProgress, notCalled, followUp: followUp.sort(byAppointmentTime), batches };
}
