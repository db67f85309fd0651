import { EventEmitter } from 'node:events';
import type { CallAttempt } from '../domain';
import { recoverDialingAttempt } from '../batches/recover-dialing';
import { systemClock, systemSleep, systemTimers, type Clock, type Sleep, type Timers } from '../batches/timing';
import { createLogger, type Logger } from '../logging/logger';
import type { Settings } from '../settings/schema';
import { openCallAttempts } from '../store/call-attempts';
import type { Db } from '../store/database';
import { describeTwilioError, type CallsApi } from '../twilio/twilio-client';
import { snapshotEvent } from './record-call-snapshot';
import { commitDirectly, type CommitStatus } from './commit-status';

// Callbacks can be dropped (a tunnel that changed its URL, a sleeping laptop, Twilio giving up after 15 s).
// The reconciler makes sure no call stays open: it asks Twilio about every call that should have ended by now,
// and records the answer with source `reconcile`.

export interface SweepReport {
  checked: number;
  /** Calls whose status moved forward. */
  updated: number;
  /** Calls Twilio still reports as live. */
  stillOpen: number;
  /** CallSids Twilio answered 404 for: kept open, never given an invented status. */
  unknown: string[];
  /** Calls we could not ask about (network, 5xx); they are asked again next sweep. */
  failed: number;
}

export interface ReconcilerEvents {
  'call-updated': [attempt: CallAttempt];
  'sweep-finished': [report: SweepReport & { kind: 'sweep' | 'all' }];
}

export interface ReconcilerOptions {
  db: Db;
  calls: () => CallsApi;
  settings: () => Settings;
  clock?: Clock;
  sleep?: Sleep;
  timers?: Timers;
  logger?: Logger;
  /** See recover-dialing.ts. */
  dialSettleMs?: number;
  /** A periodic tick this much later than planned means the computer slept: reconcile everything. */
  wakeThresholdMs?: number;
  /** Only calls of practice (true) or real (false) batches: each is asked about only where it was placed. */
  simulated?: () => boolean;
  /** How a snapshot is stored: the engine passes its group commit; default one transaction each. */
  commit?: CommitStatus;
}

/** True when a timer fired so much later than planned that the process was most likely suspended. */
export function detectWake(scheduledAt: number, firedAt: number, thresholdMs: number): boolean {
  return firedAt - scheduledAt > thresholdMs;
}

export class Reconciler extends EventEmitter<ReconcilerEvents> {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly timers: Timers;
  private readonly log: Logger;
  private timer: unknown = null;
  private running: Promise<SweepReport> | null = null;

  constructor(private readonly opts: ReconcilerOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? systemSleep;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? createLogger('reconciler');
  }

  /** Calls dialled long enough ago that they must have ended: dial time + call timeout + callbacks.reconcile_after_minutes. */
  sweep(): Promise<SweepReport> {
    const settings = this.opts.settings();
    const graceMs = settings.calling.call_timeout_seconds * 1000 + settings.callbacks.reconcile_after_minutes * 60_000;
    const dialedBefore = new Date(this.clock() - graceMs).toISOString();
    return this.exclusive('sweep', () => openCallAttempts(this.opts.db, dialedBefore, this.opts.simulated?.()));
  }

  /** Every open call, whatever its age: at start-up and after the computer wakes from sleep. */
  reconcileAll(): Promise<SweepReport> {
    return this.exclusive('all', () => openCallAttempts(this.opts.db, undefined, this.opts.simulated?.()));
  }

  startPeriodic(intervalMs: number): void {
    this.stop();
    const threshold = this.opts.wakeThresholdMs ?? Math.max(intervalMs, 60_000);
    const plan = (): void => {
      const scheduledAt = this.clock() + intervalMs;
      this.timer = this.timers.setTimeout(() => {
        const woke = detectWake(scheduledAt, this.clock(), threshold);
        if (woke) this.log.info('The computer seems to have slept: reconciling every open call');
        (woke ? this.reconcileAll() : this.sweep())
          .catch((err: unknown) => this.log.error('Reconciliation sweep failed', { error: err }))
          .finally(() => {
            if (this.timer !== null) plan();
          });
      }, intervalMs);
    };
    plan();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves when no sweep is under way. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private exclusive(kind: 'sweep' | 'all', select: () => CallAttempt[]): Promise<SweepReport> {
    // One sweep at a time; a request during a sweep waits for it and then runs (it may select different calls).
    const previous = this.running ?? Promise.resolve(null);
    const run: Promise<SweepReport> = previous
      .catch(() => null)
      .then(() => this.reconcile(select()))
      .then((report) => {
        this.emit('sweep-finished', { ...report, kind });
        return report;
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }

  private async reconcile(attempts: CallAttempt[]): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, updated: 0, stillOpen: 0, unknown: [], failed: 0 };
    for (const attempt of attempts) {
      report.checked += 1;
      try {
        if (attempt.state === 'dialing' || !attempt.callSid) await this.reconcileDialing(attempt, report);
        else await this.reconcilePlaced(attempt, attempt.callSid, report);
      } catch (err) {
        const info = describeTwilioError(err);
        if (info.status === 404 && attempt.callSid) {
          report.unknown.push(attempt.callSid);
          this.log.warn('Twilio does not know a call we placed; it stays open, no status is invented', { callSid: attempt.callSid });
        } else {
          report.failed += 1;
          this.log.warn('Could not reconcile a call with Twilio; will try again', { attemptId: attempt.id, error: info.message });
        }
      }
    }
    if (report.updated > 0 || report.unknown.length > 0) this.log.info('Reconciliation finished', { ...report, unknown: report.unknown.length });
    return report;
  }

  private async reconcilePlaced(attempt: CallAttempt, callSid: string, report: SweepReport): Promise<void> {
    const call = await this.opts.calls().fetch(callSid);
    const result = await (this.opts.commit ?? commitDirectly(this.opts.db))(snapshotEvent(call, 'reconcile', new Date(this.clock()).toISOString()));
    if (result.applied && result.attempt) {
      report.updated += 1;
      this.emit('call-updated', result.attempt);
    }
    if (!result.attempt?.isFinal) report.stillOpen += 1;
  }

  private async reconcileDialing(attempt: CallAttempt, report: SweepReport): Promise<void> {
    const result = await recoverDialingAttempt(
      {
        db: this.opts.db,
        calls: this.opts.calls(),
        clock: this.clock,
        sleep: this.sleep,
        logger: this.log,
        ...(this.opts.dialSettleMs !== undefined ? { settleMs: this.opts.dialSettleMs } : {}),
      },
      attempt.id,
    );
    if (result.kind === 'found') {
      report.updated += 1;
      if (!result.attempt.isFinal) report.stillOpen += 1;
    }
    if (result.attempt && result.kind !== 'not-dialing') this.emit('call-updated', result.attempt);
  }
}
