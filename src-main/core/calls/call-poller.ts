import { EventEmitter } from 'node:events';
import type { CallAttempt } from '../domain';
import { systemClock, systemTimers, type Clock, type Timers } from '../batches/timing';
import { createLogger, type Logger } from '../logging/logger';
import { getCallAttempt, openCallAttempts } from '../store/call-attempts';
import type { Db } from '../store/database';
import { describeTwilioError, type CallsApi } from '../twilio/twilio-client';
import { snapshotEvent } from './record-call-snapshot';
import { commitDirectly, type CommitStatus } from './commit-status';

// Polling mode: a call placed with no status callback URL is followed by fetching its Call resource until
// the status is final. The predecessor fetched once, 10 s after dialing, and logged "ringing" as the outcome.

export interface CallPollerEvents {
  'call-updated': [attempt: CallAttempt];
  /** Twilio keeps answering 404 for this call. We do not invent a status; staff are told. */
  'call-unknown': [info: { attemptId: number; callSid: string; since: string }];
}

export interface CallPollerOptions {
  db: Db;
  calls: () => CallsApi;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  /** First fetch this long after dialing (Twilio's own advice for a first look). */
  firstPollAfterMs?: number;
  /** Each wait is this much longer than the previous one ... */
  backoffFactor?: number;
  /** ... up to this. */
  maxIntervalMs?: number;
  /** A call Twilio has not known for this long is reported (and still followed). */
  reportUnknownAfterMs?: number;
  /** Only calls of practice (true) or real (false) batches are resumed by start(). */
  simulated?: () => boolean;
  /** How a snapshot is stored: the engine passes its group commit; default one transaction each. */
  commit?: CommitStatus;
}

interface Tracked {
  attemptId: number;
  callSid: string;
  intervalMs: number;
  timer: unknown;
  unknownSince: number | null;
  reportedUnknown: boolean;
}

export class CallPoller extends EventEmitter<CallPollerEvents> {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly log: Logger;
  private readonly firstPollAfterMs: number;
  private readonly backoffFactor: number;
  private readonly maxIntervalMs: number;
  private readonly reportUnknownAfterMs: number;
  private readonly tracked = new Map<number, Tracked>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: CallPollerOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.timers = opts.timers ?? systemTimers;
    this.log = opts.logger ?? createLogger('poller');
    this.firstPollAfterMs = opts.firstPollAfterMs ?? 10_000;
    this.backoffFactor = opts.backoffFactor ?? 1.5;
    this.maxIntervalMs = opts.maxIntervalMs ?? 60_000;
    this.reportUnknownAfterMs = opts.reportUnknownAfterMs ?? 5 * 60_000;
  }

  /** Resumes following every open call that has no callback URL (after a restart). */
  start(): void {
    this.stopped = false;
    for (const attempt of openCallAttempts(this.opts.db, undefined, this.opts.simulated?.())) {
      if (attempt.state === 'placed' && !attempt.statusCallbackUrl) this.track(attempt);
    }
  }

  /** Stops every timer; fetches already under way finish (and are awaited by `idle()`). */
  stop(): void {
    this.stopped = true;
    for (const entry of this.tracked.values()) this.timers.clearTimeout(entry.timer);
    this.tracked.clear();
  }

  /** Follows one placed call until its status is final. Tracking a call twice is a no-op. */
  track(attempt: CallAttempt): void {
    if (this.stopped || !attempt.callSid || attempt.isFinal || this.tracked.has(attempt.id)) return;
    const dialedAt = attempt.dialStartedAt ? Date.parse(attempt.dialStartedAt) : this.clock();
    const entry: Tracked = {
      attemptId: attempt.id,
      callSid: attempt.callSid,
      intervalMs: this.firstPollAfterMs,
      timer: null,
      unknownSince: null,
      reportedUnknown: false,
    };
    this.tracked.set(attempt.id, entry);
    this.schedule(entry, Math.max(0, dialedAt + this.firstPollAfterMs - this.clock()));
  }

  isTracking(attemptId: number): boolean {
    return this.tracked.has(attemptId);
  }

  get trackedCount(): number {
    return this.tracked.size;
  }

  /** Resolves when no fetch is under way (tests, clean shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private schedule(entry: Tracked, delayMs: number): void {
    entry.timer = this.timers.setTimeout(() => {
      const run = this.poll(entry)
        .catch((err: unknown) => this.log.error('Polling a call failed', { callSid: entry.callSid, error: err }))
        .finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }, delayMs);
  }

  private nextInterval(entry: Tracked): number {
    const current = entry.intervalMs;
    entry.intervalMs = Math.min(Math.round(current * this.backoffFactor), this.maxIntervalMs);
    return current;
  }

  private async poll(entry: Tracked): Promise<void> {
    if (this.tracked.get(entry.attemptId) !== entry) return;
    const stored = getCallAttempt(this.opts.db, entry.attemptId);
    if (!stored || stored.isFinal) {
      // A callback or the reconciler got there first.
      this.tracked.delete(entry.attemptId);
      return;
    }
    try {
      const call = await this.opts.calls().fetch(entry.callSid);
      entry.unknownSince = null;
      const result = await (this.opts.commit ?? commitDirectly(this.opts.db))(snapshotEvent(call, 'poll', new Date(this.clock()).toISOString()));
      if (result.applied && result.attempt) this.emit('call-updated', result.attempt);
      if (result.attempt?.isFinal) {
        this.tracked.delete(entry.attemptId);
        return;
      }
    } catch (err) {
      const info = describeTwilioError(err);
      if (info.status === 404) this.noteUnknown(entry);
      else this.log.warn('Could not fetch a call from Twilio; trying again later', { callSid: entry.callSid, error: info.message });
    }
    if (this.tracked.get(entry.attemptId) === entry && !this.stopped) this.schedule(entry, this.nextInterval(entry));
  }

  private noteUnknown(entry: Tracked): void {
    const now = this.clock();
    entry.unknownSince ??= now;
    if (!entry.reportedUnknown && now - entry.unknownSince >= this.reportUnknownAfterMs) {
      entry.reportedUnknown = true;
      this.log.warn('Twilio does not know this call; still following it, no status is invented', { callSid: entry.callSid });
      this.emit('call-unknown', { attemptId: entry.attemptId, callSid: entry.callSid, since: new Date(entry.unknownSince).toISOString() });
    }
  }
}
