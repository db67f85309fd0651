import { createLogger, type Logger } from '../logging/logger';
import type { Settings } from '../settings/schema';
import { createBatch } from '../store/batches';
import type { Db } from '../store/database';
import { claimReminderSlot, dueSlotCandidates } from '../store/reminder-slots';
import type { BatchOutcome, BatchRunner } from './batch-runner';
import { dueReminders, isWithinCallingHours, nextCallingTime, reminderSlots, type DueReminder } from './due-reminders';
import { systemClock, systemTimers, type Clock, type Timers } from './timing';

export interface ReminderSchedulerOptions {
  db: Db;
  runner: Pick<BatchRunner, 'runBatch'>;
  settings: () => Settings;
  /** Batches made in practice mode are marked simulated. */
  simulated: () => boolean;
  /** The "Automatic reminders" switch (desktop app); `serve` always runs. Checked on every tick. */
  enabled?: () => boolean;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
}

export interface SchedulerCheck {
  /** The batch started by this check, or null when nothing was due (or it is outside calling hours). */
  batchId: string | null;
  appointmentIds: number[];
  outsideCallingHours: boolean;
  /** Settles when the batch is done; null when no batch was started. */
  finished: Promise<BatchOutcome> | null;
}

export interface NextRun {
  /** When the next reminders will be called (ISO), or null when none is coming in the next two weeks. */
  at: string | null;
  count: number;
}

/** How far ahead "Next: …" looks. */
const PREVIEW_HORIZON_MS = 14 * 86_400_000;

/**
 * One scheduler for `serve` and the desktop app: every scheduling.check_interval_minutes it puts the reminders
 * that are due (each slot of scheduling.reminder_hours_before) into a new batch and runs it. Each (appointment,
 * slot) is claimed in reminder_slots in the same transaction as the batch, so a restart, a wake from sleep or two
 * overlapping checks never call anyone twice; after a long sleep the slots missed are fulfilled by one call.
 */
export class ReminderScheduler {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly log: Logger;
  private timer: unknown = null;

  constructor(private readonly opts: ReminderSchedulerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? createLogger('scheduler');
  }

  private inWindow(settings: Settings, now: number, due: DueReminder): boolean {
    // A patient with their own `timezone` column is called inside calling hours on their clock too.
    return due.timezone === null || isWithinCallingHours(settings, now, due.timezone);
  }

  checkNow(): SchedulerCheck {
    const idle = (outsideCallingHours: boolean): SchedulerCheck => ({ batchId: null, appointmentIds: [], outsideCallingHours, finished: null });
    if (this.opts.enabled && !this.opts.enabled()) return idle(false);
    const settings = this.opts.settings();
    const now = this.clock();
    if (!isWithinCallingHours(settings, now)) return idle(true);
    const due = dueReminders(this.opts.db, settings, now).filter((d) => this.inWindow(settings, now, d));
    if (due.length === 0) return idle(false);
    const appointmentIds = due.map((d) => d.appointmentId);
    const doneAt = new Date(now).toISOString();
    const batch = this.opts.db.transaction(() => {
      const created = createBatch(this.opts.db, { appointmentIds, simulated: this.opts.simulated(), now: new Date(now) });
      for (const d of due) for (const slot of d.slots) claimReminderSlot(this.opts.db, { appointmentId: d.appointmentId, ...slot, batchId: created.id, doneAt });
      return created;
    })();
    this.log.info('Reminders due: batch started', { batchId: batch.id, calls: appointmentIds.length });
    const finished = this.opts.runner.runBatch(batch.id);
    finished.catch((err: unknown) => this.log.error('Scheduled batch failed', { batchId: batch.id, error: err }));
    return { batchId: batch.id, appointmentIds, outsideCallingHours: false, finished };
  }

  /** "Next: 12 reminders at 2:00 PM" (see nextReminderRun). */
  nextRun(): NextRun {
    return nextReminderRun(this.opts.db, this.opts.settings(), this.clock());
  }

  start(): void {
    this.stop();
    const tick = (): void => {
      try {
        this.checkNow();
      } catch (err) {
        this.log.error('Reminder check failed', { error: err });
      }
      this.timer = this.timers.setTimeout(tick, this.opts.settings().scheduling.check_interval_minutes * 60_000);
    };
    tick();
  }

  /**
   * A wake from sleep: timers stalled while the computer slept, so check at once (the slots table makes the catch-up
   * call each patient once) and restart the interval.
   */
  wake(): void {
    if (this.timer !== null) this.start();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * "Next: 12 reminders at 2:00 PM": the first time reminders will be called (a due slot moved into calling hours)
 * and how many are due by then. Read-only.
 */
export function nextReminderRun(db: Db, settings: Settings, now: number): NextRun {
  // Due right now (or during a wait for calling hours): the next window start.
  const dueNow = dueReminders(db, settings, now);
  if (dueNow.length > 0) {
    const at = nextCallingTime(settings, now);
    return { at: at === null ? null : new Date(at).toISOString(), count: at === null ? 0 : dueReminders(db, settings, at).length };
  }
  // Otherwise the earliest slot still to fall due (each slot's first appointment, in time order).
  let firstDue: number | null = null;
  for (const hours of reminderSlots(settings)) {
    const [next] = dueSlotCandidates(db, {
      hours,
      now: new Date(now).toISOString(),
      horizon: new Date(now + hours * 3_600_000 + PREVIEW_HORIZON_MS).toISOString(),
      limit: 1,
    });
    if (next) firstDue = Math.min(firstDue ?? Infinity, Date.parse(next.appointmentUtc) - hours * 3_600_000);
  }
  if (firstDue === null) return { at: null, count: 0 };
  const at = nextCallingTime(settings, firstDue);
  if (at === null) return { at: null, count: 0 };
  return { at: new Date(at).toISOString(), count: dueReminders(db, settings, at).length };
}
