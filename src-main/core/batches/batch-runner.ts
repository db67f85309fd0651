import { EventEmitter } from 'node:events';
import type { Appointment, CallAttempt } from '../domain';
import { createLogger, type Logger } from '../logging/logger';
import type { CallPoller } from '../calls/call-poller';
import type { Settings } from '../settings/schema';
import { getAppointment } from '../store/appointments';
import { getBatch, setBatchState, setBatchWaitDeadline } from '../store/batches';
import { dialingAttempts, getCallAttempt, listBatchAttempts, markRejected, nextPendingAttemptExcept, nextRetryAt, skipPendingAttempts } from '../store/call-attempts';
import { batchCounts } from '../store/call-history';
import type { Db } from '../store/database';
import { storedErrorCode, type CallsApi, type TwilioErrorInfo } from '../twilio/twilio-client';
import { EngineStoppedError } from '../lifecycle';
import { lastLookAtOpenCalls } from './last-look';
import { Pacer } from './pacer';
import { placeReminderCall, type CallbackTarget, type DialOutcome, type PlaceCallDeps } from './place-reminder-call';
import { recoverDialingAttempt, type RecoverDeps } from './recover-dialing';
import { retryPlannerFor } from './retry-plan';
import { skipIfRuled } from './skip-reason';
import { isStopError, systemClock, systemSleep, type Clock, type Sleep } from './timing';

export interface BatchOutcome {
  batchId: string;
  state: 'completed' | 'timed_out' | 'cancelled' | 'paused';
  /** CallSids of calls that had no final status when the batch stopped waiting. */
  openCallSids: string[];
}

export interface BatchRunnerEvents {
  'call-updated': [attempt: CallAttempt];
  /** The batch's counts moved (a dial, a skip, a final status, a retry queued): pushed to the UI throttled. */
  'batch-progress': [batchId: string];
  /** Paused, resumed, cancelled or finished: what staff just did or waited for, pushed at once. */
  'batch-state-changed': [batchId: string];
  'batch-finished': [outcome: BatchOutcome];
}

export interface BatchRunnerOptions {
  db: Db;
  /** The Twilio calls API; may throw when Twilio is not configured yet. */
  calls: () => CallsApi;
  settings: () => Settings;
  fromNumber: () => string;
  /** Read for every dial: a tunnel URL that changed mid-batch is used by the next call at once. Both null: polling mode. */
  callbackTarget: () => CallbackTarget;
  renderMessage: (appointment: Appointment) => string;
  poller: Pick<CallPoller, 'track'>;
  clock?: Clock;
  sleep?: Sleep;
  logger?: Logger;
  /** How often the wait phase re-reads the batch's counts (callbacks are stored by the callback server). */
  waitCheckMs?: number;
  /** See recover-dialing.ts; tests shorten them. */
  dialSettleMs?: number;
  /** Test seam: runs after Twilio accepted a call and before its SID is stored. */
  afterCreate?: PlaceCallDeps['afterCreate'];
  /** True once the host is shutting down: no new call is placed after that, even if the pacer has a free slot. */
  isStopping?: () => boolean;
  /**
   * False outside the clinic's calling hours: dialing holds (a batch resumed at night, or one that runs past the
   * end of the day, waits for the morning) while calls already placed are still followed.
   */
  mayDial?: () => boolean;
  /** Multiplies calling.retry_delay_seconds for retries of patients not reached (practice mode runs faster). */
  retryDelayScale?: () => number;
}

const RATE_LIMIT_FIRST_BACKOFF_MS = 1000;
const RATE_LIMIT_MAX_BACKOFF_MS = 30_000;
/** Sleeps in the runner are cut into slices this long so pause / cancel take effect promptly. */
const MAX_SLEEP_SLICE_MS = 1000;

/**
 * Runs batches of reminder calls: dials at `calling.calls_per_second`, backs off on 429, retries transient
 * failures, never dials an appointment twice in a batch (the attempt row is committed before the dial and a
 * `dialing` row is reconciled with Twilio's Calls list, never re-dialled blind), then waits until every call is
 * final or the wait runs out. runBatch is idempotent: calling it again on a batch continues where it stopped.
 */
export class BatchRunner extends EventEmitter<BatchRunnerEvents> {
  /** Batches whose dialing is holding for calling hours (to log the hold once). */
  private readonly holding = new Set<string>();
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly log: Logger;
  private readonly pacer: Pacer;
  private readonly active = new Map<string, Promise<BatchOutcome>>();
  /** attemptId -> earliest time (ms) of its next try, after a transient failure. Per process: a restart retries at once. */
  private readonly retryAt = new Map<number, number>();
  private readonly transientFailures = new Map<number, number>();
  private rateLimitStreak = 0;

  constructor(private readonly opts: BatchRunnerOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? systemSleep;
    this.log = opts.logger ?? createLogger('dispatch');
    this.pacer = new Pacer(this.clock, this.sleep, () => opts.settings().calling.calls_per_second);
  }

  runBatch(batchId: string, runOpts: { waitSeconds?: number } = {}): Promise<BatchOutcome> {
    const running = this.active.get(batchId);
    if (running) return running;
    const run = this.run(batchId, runOpts).finally(() => this.active.delete(batchId));
    this.active.set(batchId, run);
    return run;
  }

  /** True while a run of this batch is dialing or waiting (this runner is the one registry of running batches). */
  isRunning(batchId: string): boolean {
    return this.active.has(batchId);
  }

  /** How many batches are running now. */
  runningCount(): number {
    return this.active.size;
  }

  /** Settles when every running batch has returned (they stop at their next sleep once the host is stopping). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.active.values()]);
  }

  /** Stops dialing new calls; calls already placed carry on and are still followed. */
  pause(batchId: string): void {
    if (getBatch(this.opts.db, batchId)?.state !== 'running') return;
    setBatchState(this.opts.db, batchId, 'paused', this.nowIso());
    this.emit('batch-state-changed', batchId);
  }

  resume(batchId: string, runOpts: { waitSeconds?: number } = {}): Promise<BatchOutcome> {
    if (getBatch(this.opts.db, batchId)?.state === 'paused') {
      setBatchState(this.opts.db, batchId, 'running', this.nowIso());
      this.emit('batch-state-changed', batchId);
    }
    return this.runBatch(batchId, runOpts);
  }

  /** Skips every call not dialled yet. Calls already placed are not hung up; their outcome is still recorded. */
  cancel(batchId: string): void {
    const state = getBatch(this.opts.db, batchId)?.state;
    if (state !== 'running' && state !== 'paused') return;
    const now = this.nowIso();
    this.opts.db.transaction(() => {
      setBatchState(this.opts.db, batchId, 'cancelled', now);
      skipPendingAttempts(this.opts.db, batchId, now);
    })();
    this.emit('batch-state-changed', batchId);
  }

  private nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  private batchState(batchId: string) {
    const batch = getBatch(this.opts.db, batchId);
    if (!batch) throw new Error(`Batch ${batchId} does not exist`);
    return batch.state;
  }

  private async run(batchId: string, runOpts: { waitSeconds?: number }): Promise<BatchOutcome> {
    const initial = this.batchState(batchId);
    if (initial !== 'running') return this.finish(batchId, initial, false);
    const calls = this.opts.calls();

    await this.recoverDialing(batchId, calls);
    const stopped = await this.dispatch(batchId, calls);
    if (stopped) return this.finish(batchId, stopped, false);
    return this.waitForFinalStatuses(batchId, calls, runOpts);
  }

  private recoverDeps(calls: CallsApi): RecoverDeps {
    return {
      db: this.opts.db,
      calls,
      clock: this.clock,
      sleep: this.sleep,
      logger: this.log,
      ...(this.opts.dialSettleMs !== undefined ? { settleMs: this.opts.dialSettleMs } : {}),
    };
  }

  /** Resolves `dialing` rows (a crash, or a create that got no answer) through Twilio's Calls list. */
  private async recoverDialing(batchId: string, calls: CallsApi): Promise<void> {
    for (const attempt of dialingAttempts(this.opts.db, batchId)) {
      try {
        const result = await recoverDialingAttempt(this.recoverDeps(calls), attempt.id);
        if (result.kind === 'found') this.afterPlaced(result.attempt);
        if (result.attempt) this.emit('call-updated', result.attempt);
      } catch (err) {
        if (isStopError(err)) throw err;
        // The attempt stays `dialing` and is never dialled blind; the wait phase asks again.
        this.log.warn('Could not check an interrupted dial with Twilio; will ask again', { attemptId: attempt.id, error: err });
      }
    }
  }

  /** Returns the state that stopped dispatching early (paused / cancelled), or null when everything was dialled. */
  private async dispatch(batchId: string, calls: CallsApi): Promise<'paused' | 'cancelled' | null> {
    for (;;) {
      const state = this.batchState(batchId);
      if (state === 'paused' || state === 'cancelled') return state;
      const now = this.clock();
      const waiting = [...this.retryAt].filter(([, at]) => at > now).map(([id]) => id);
      const attempt = nextPendingAttemptExcept(this.opts.db, batchId, waiting, new Date(now).toISOString());
      if (attempt && this.skipIfRuled(attempt)) continue;
      if (attempt && this.opts.mayDial && !this.opts.mayDial()) {
        if (!this.holding.has(batchId)) this.log.info('Outside calling hours: dialing holds until they begin', { batchId });
        this.holding.add(batchId);
        await this.sleepSlice(MAX_SLEEP_SLICE_MS);
        continue;
      }
      this.holding.delete(batchId);
      if (!attempt) {
        const nextRetry = this.nextRetryFor(batchId);
        if (nextRetry === null) return null;
        await this.sleepSlice(nextRetry - now);
        continue;
      }
      await this.pacer.acquire();
      const afterPace = this.batchState(batchId);
      if (afterPace === 'paused' || afterPace === 'cancelled') return afterPace;
      if (this.opts.isStopping?.()) throw new EngineStoppedError();
      await this.dialOne(batchId, attempt, calls);
      this.emit('batch-progress', batchId);
    }
  }

  /** Skips (never dials) an attempt a rule forbids — do-not-call list, appointment passed — with the reason stored. */
  private skipIfRuled(attempt: CallAttempt): boolean {
    const skipped = skipIfRuled(this.opts.db, attempt, this.clock());
    if (!skipped) return false;
    this.log.info('Call skipped', { batchId: attempt.batchId, attemptId: attempt.id, reason: skipped.errorMessage });
    this.emit('call-updated', skipped);
    this.emit('batch-progress', attempt.batchId);
    return true;
  }

  private nextRetryFor(batchId: string): number | null {
    let earliest: number | null = null;
    for (const [attemptId, at] of this.retryAt) {
      const attempt = getCallAttempt(this.opts.db, attemptId);
      if (!attempt || attempt.batchId !== batchId || attempt.state !== 'pending') {
        if (!attempt || attempt.state !== 'pending') this.retryAt.delete(attemptId);
        continue;
      }
      earliest = earliest === null ? at : Math.min(earliest, at);
    }
    return earliest;
  }

  private async sleepSlice(ms: number): Promise<void> {
    await this.sleep(Math.max(1, Math.min(ms, MAX_SLEEP_SLICE_MS)));
  }

  private async dialOne(batchId: string, attempt: CallAttempt, calls: CallsApi): Promise<void> {
    const appointment = getAppointment(this.opts.db, attempt.appointmentId);
    if (!appointment) {
      markRejected(this.opts.db, attempt.id, { code: null, message: 'The appointment no longer exists' }, this.nowIso());
      this.emit('call-updated', getCallAttempt(this.opts.db, attempt.id)!);
      return;
    }
    const settings = this.opts.settings();
    const outcome = await placeReminderCall(
      {
        db: this.opts.db,
        calls,
        settings,
        from: this.opts.fromNumber(),
        target: this.opts.callbackTarget(),
        renderMessage: this.opts.renderMessage,
        now: () => this.nowIso(),
        ...(this.opts.afterCreate ? { afterCreate: this.opts.afterCreate } : {}),
      },
      attempt,
      appointment,
    );
    await this.handleOutcome(batchId, outcome, calls, settings);
  }

  private async handleOutcome(batchId: string, outcome: DialOutcome, calls: CallsApi, settings: Settings): Promise<void> {
    switch (outcome.kind) {
      case 'placed':
        this.rateLimitStreak = 0;
        this.retryAt.delete(outcome.attempt.id);
        this.afterPlaced(outcome.attempt);
        this.log.info('Reminder call placed', { batchId, attemptId: outcome.attempt.id, callSid: outcome.call.sid });
        break;
      case 'rate-limited': {
        // Twilio's CPS limit is per account: hold every create, doubling while the 429s continue.
        this.rateLimitStreak += 1;
        const backoff = Math.min(RATE_LIMIT_FIRST_BACKOFF_MS * 2 ** (this.rateLimitStreak - 1), RATE_LIMIT_MAX_BACKOFF_MS);
        this.pacer.holdFor(backoff);
        this.log.warn('Twilio rate limit (429): backing off', { batchId, attemptId: outcome.attempt.id, backoffMs: backoff });
        break;
      }
      case 'uncertain':
        await this.handleUncertain(batchId, outcome.attempt, outcome.error, calls, settings);
        return;
      case 'rejected':
        this.log.warn('Twilio refused the call', { batchId, attemptId: outcome.attempt.id, error: outcome.error.message });
        break;
    }
    this.emit('call-updated', getCallAttempt(this.opts.db, outcome.attempt.id) ?? outcome.attempt);
  }

  /**
   * A 5xx or a request that got no answer: Twilio may have created the call. Ask its Calls list before
   * anything else; only a call Twilio does not have is retried, after calling.retry_delay_seconds, at most
   * calling.max_retries times.
   */
  private async handleUncertain(batchId: string, attempt: CallAttempt, error: TwilioErrorInfo, calls: CallsApi, settings: Settings): Promise<void> {
    const failures = (this.transientFailures.get(attempt.id) ?? 0) + 1;
    this.transientFailures.set(attempt.id, failures);
    this.log.warn('calls.create failed without a definite answer; checking Twilio before retrying', { batchId, attemptId: attempt.id, error: error.message });
    try {
      const result = await recoverDialingAttempt(this.recoverDeps(calls), attempt.id);
      if (result.kind === 'found') {
        this.afterPlaced(result.attempt);
      } else if (result.kind === 'not-found') {
        const code = storedErrorCode(error);
        if (failures > settings.calling.max_retries) {
          markRejected(this.opts.db, attempt.id, { code, message: `Gave up after ${failures} tries: ${error.message}` }, this.nowIso());
          this.retryAt.delete(attempt.id);
        } else {
          this.retryAt.set(attempt.id, this.clock() + settings.calling.retry_delay_seconds * 1000);
        }
      }
    } catch (err) {
      if (isStopError(err)) throw err;
      this.log.warn('Could not check the failed dial with Twilio; will ask again', { attemptId: attempt.id, error: err });
    }
    const updated = getCallAttempt(this.opts.db, attempt.id);
    if (updated) this.emit('call-updated', updated);
  }

  private afterPlaced(attempt: CallAttempt): void {
    // No status callback registered: nobody will tell us how the call ends unless we ask.
    if (attempt.callSid && !attempt.statusCallbackUrl && !attempt.isFinal) this.opts.poller.track(attempt);
  }

  private async waitForFinalStatuses(batchId: string, calls: CallsApi, runOpts: { waitSeconds?: number }): Promise<BatchOutcome> {
    const batch = getBatch(this.opts.db, batchId)!;
    const waitMs = runOpts.waitSeconds !== undefined ? runOpts.waitSeconds * 1000 : this.opts.settings().batch.max_wait_minutes * 60_000;
    const deadline =
      runOpts.waitSeconds === undefined && batch.waitDeadline ? Date.parse(batch.waitDeadline) : this.clock() + waitMs;
    setBatchWaitDeadline(this.opts.db, batchId, new Date(deadline).toISOString());
    let lastFinal = -1;
    const planRetriesIfMoved = retryPlannerFor(this.opts.db, batchId);
    let deadlineMs = deadline;
    for (;;) {
      const state = this.batchState(batchId);
      if (state === 'paused' || state === 'cancelled') return this.finish(batchId, state, false);
      let { total, final } = batchCounts(this.opts.db, batchId);
      // Same synchronous step as the counts: a final status cannot complete the batch before its retry is queued.
      if (planRetriesIfMoved(final, this.opts.settings(), this.clock(), this.opts.retryDelayScale?.() ?? 1) > 0) {
        this.emit('batch-progress', batchId);
        ({ total, final } = batchCounts(this.opts.db, batchId));
      }
      const retryAt = nextRetryAt(this.opts.db, batchId);
      // A queued retry keeps the batch open: it waits its full time after the retry's dial.
      if (retryAt !== null && Date.parse(retryAt) + waitMs > deadlineMs) {
        deadlineMs = Date.parse(retryAt) + waitMs;
        setBatchWaitDeadline(this.opts.db, batchId, new Date(deadlineMs).toISOString());
      }
      if (final !== lastFinal) {
        lastFinal = final;
        this.emit('batch-progress', batchId);
      }
      if (final >= total) return this.finish(batchId, 'completed', true);
      if (this.clock() >= deadlineMs) {
        // Last look before giving up: a dropped final callback must not make a finished call look open.
        if (await lastLookAtOpenCalls({ db: this.opts.db, calls, now: () => this.nowIso(), log: this.log, onUpdated: (a) => this.emit('call-updated', a) }, batchId)) continue;
        return this.finish(batchId, 'timed_out', true);
      }
      if (dialingAttempts(this.opts.db, batchId).length > 0) await this.recoverDialing(batchId, calls);
      if (nextPendingAttemptExcept(this.opts.db, batchId, [], this.nowIso()) !== null) {
        // An interrupted dial that Twilio turned out not to have: it goes back into the dialing loop.
        const stopped = await this.dispatch(batchId, calls);
        if (stopped) return this.finish(batchId, stopped, false);
        continue;
      }
      await this.sleepSlice(Math.min(this.opts.waitCheckMs ?? 1000, Math.max(1, deadlineMs - this.clock())));
    }
  }

  private finish(batchId: string, state: BatchOutcome['state'], persist: boolean): BatchOutcome {
    if (persist) setBatchState(this.opts.db, batchId, state, this.nowIso());
    const openCallSids = listBatchAttempts(this.opts.db, batchId)
      .filter((a) => !a.isFinal && a.callSid !== null)
      .map((a) => a.callSid!);
    const outcome: BatchOutcome = { batchId, state, openCallSids };
    if (persist && openCallSids.length > 0) this.log.warn('Batch stopped waiting with calls still open', { batchId, open: openCallSids.length });
    this.emit('batch-state-changed', batchId);
    this.emit('batch-finished', outcome);
    return outcome;
  }
}
