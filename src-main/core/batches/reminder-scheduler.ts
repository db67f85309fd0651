import { createLogger, type Logger } from '../logging/logger';
import type { Settings } from '../settings/schema';
import { createBatch } from '../store/batches';
import type { Db } from '../store/database';
import type { BatchOutcome, BatchRunner } from './batch-runner';
import { dueReminderIds, isWithinCallingHours } from './due-reminders';
import { systemClock, systemTimers, type Clock, type Timers } from './timing';

export interface ReminderSchedulerOptions {
  db: Db;
  runner: Pick<BatchRunner, 'runBatch'>;
  settings: () => Settings;
  /** Batches made in practice mode are marked simulated. */
  simulated: () => boolean;
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

/**
 * For `serve`: every scheduling.check_interval_minutes, puts the reminders that are due into a new batch and
 * runs it. Appointments already in any batch are never picked again, so overlapping checks cannot double-call.
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

  checkNow(): SchedulerCheck {
    const settings = this.opts.settings();
    const now = this.clock();
    if (!isWithinCallingHours(settings, now)) return { batchId: null, appointmentIds: [], outsideCallingHours: true, finished: null };
    const appointmentIds = dueReminderIds(this.opts.db, settings, now);
    if (appointmentIds.length === 0) return { batchId: null, appointmentIds, outsideCallingHours: false, finished: null };
    const batch = createBatch(this.opts.db, { appointmentIds, simulated: this.opts.simulated(), now: new Date(now) });
    this.log.info('Reminders due: batch started', { batchId: batch.id, calls: appointmentIds.length });
    const finished = this.opts.runner.runBatch(batch.id);
    finished.catch((err: unknown) => this.log.error('Scheduled batch failed', { batchId: batch.id, error: err }));
    return { batchId: batch.id, appointmentIds, outsideCallingHours: false, finished };
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

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
