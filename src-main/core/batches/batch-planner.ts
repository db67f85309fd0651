import type { BatchPlan } from '../api/contract';
import { ApiFailure } from '../api/invoke-operation';
import { reminderOutcome } from '../calls/reminder-outcome';
import type { Appointment, Batch } from '../domain';
import { clinicDayRange } from '../vocabulary/clinic-day';
import { toBatchView } from './batch-view';
import { batchLabel } from '../results/batch-label';
import type { Settings } from '../settings/schema';
import { appointmentsInScope, listAppointments } from '../store/appointments';
import { activeBatches } from '../store/batches';
import { callsOfAppointments } from '../store/call-history';
import { isOnDoNotCallList } from '../store/do-not-call';
import type { Db } from '../store/database';
import { isWithinCallingHours } from './due-reminders';
import { countSkips, decideEligibility, type Eligibility } from './eligibility';

// Turns a selection (appointment ids or a clinic day) into who a batch calls and who it skips, with the current
// mode's data only. The API's 'batches/plan' and 'batches/start', `reminder-desk run` and the scheduler use it.

export interface BatchSelection {
  appointmentIds?: readonly number[] | undefined;
  day?: string | undefined;
  /** Already-reminded patients staff chose to call again. */
  callAgain?: readonly number[] | undefined;
}

export interface BatchPlannerDeps {
  db: Db;
  clock: () => number;
  settings: () => Settings;
  practice: () => boolean;
  fromNumber: () => string | null;
  /** Why no call can be placed now (Twilio not set up), or null. */
  blockedReason: () => string | null;
}

export class BatchPlanner {
  constructor(private readonly deps: BatchPlannerDeps) {}

  /** The selection's patient appointments of the current mode (the other mode's and test calls are not seen). */
  candidates(selection: BatchSelection): Appointment[] {
    const { db } = this.deps;
    const practice = this.deps.practice();
    if (selection.appointmentIds) return appointmentsInScope(db, selection.appointmentIds, { practice });
    if (!selection.day) return [];
    const found = listAppointments(db, { practice, ...clinicDayRange(selection.day, this.deps.settings().scheduling.timezone) });
    if (found.length === 0) throw new ApiFailure('validation', `There are no appointments on ${selection.day}.`);
    return found;
  }

  decide(selection: BatchSelection, candidates = this.candidates(selection)): Eligibility<Appointment> {
    const history = callsOfAppointments(
      this.deps.db,
      candidates.map((a) => a.id),
    );
    const now = this.deps.clock();
    return decideEligibility(candidates, (id) => (history.get(id) ?? []).map(reminderOutcome), {
      nowMs: now,
      practice: this.deps.practice(),
      withinCallingHours: isWithinCallingHours(this.deps.settings(), now),
      // The same list the dial-time check and the retry planner read (store/do-not-call.ts).
      isDoNotCall: (e164) => isOnDoNotCallList(this.deps.db, e164),
      callAgain: selection.callAgain ?? [],
    });
  }

  /** Patients' batches of this mode still calling or paused (a new one alongside needs staff's explicit yes). */
  runningBatches(): Batch[] {
    return activeBatches(this.deps.db, { practice: this.deps.practice() }).filter((b) => b.state === 'running' || b.state === 'paused');
  }

  plan(selection: BatchSelection): BatchPlan {
    const candidates = this.candidates(selection);
    const decision = this.decide(selection, candidates);
    const settings = this.deps.settings();
    const { start, end } = settings.scheduling.calling_hours;
    return {
      toCall: decision.toCall.map((a) => a.id),
      skipped: decision.skipped.map(({ appointment, reason, lastOutcome }) => ({
        appointmentId: appointment.id,
        name: appointment.name,
        appointmentAt: appointment.appointmentAt,
        reason,
        lastOutcome,
      })),
      skippedCounts: countSkips(decision.skipped),
      fromNumber: this.deps.fromNumber(),
      mode: this.deps.practice() ? 'practice' : 'real',
      label: batchLabel(candidates.map((a) => a.appointmentAt.slice(0, 10))),
      callingHours: { start, end, timezone: settings.scheduling.timezone, withinNow: isWithinCallingHours(settings, this.deps.clock()) },
      runningBatches: this.runningBatches().map((b) => toBatchView(this.deps.db, b)),
      blockedReason: this.deps.blockedReason(),
    };
  }
}
