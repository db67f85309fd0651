import { ApiFailure } from '../api/invoke-operation';
import type { Sleep } from '../batches/timing';
import type { EngineContext } from '../engine-context';
import { bounded } from '../lifecycle';
import { createLogger } from '../logging/logger';
import type { CallsApi } from '../twilio/twilio-client';
import type { UiPushes } from '../ui-pushes';
import { createStatusCommitQueue, type StatusCommitQueue } from '../callbacks/status-commit';
import { CallPoller } from './call-poller';
import { Reconciler, type SweepReport } from './reconciler';

// The calls room's service: follows every placed call until Twilio reports a final status, by polling calls that
// have no callback URL and by a periodic reconciliation sweep (also at start-up and after a wake from sleep).

/** How often the reconciliation sweep looks for calls that should have ended. */
const RECONCILE_INTERVAL_MS = 60_000;

const log = createLogger('engine');

export interface CallTrackingDeps {
  calls: CallsApi;
  /** Practice calls live in the simulator, real ones at Twilio: each mode only ever asks about its own calls. */
  practice(): boolean;
  sleep: Sleep;
  pushes: Pick<UiPushes, 'attemptUpdated'>;
}

export class CallTracking {
  readonly poller: CallPoller;
  private readonly reconciler: Reconciler;
  private started = false;
  /** Poll and reconcile snapshots that land together share one commit, like callbacks do. */
  private readonly snapshots: StatusCommitQueue;

  constructor(ctx: EngineContext, deps: CallTrackingDeps) {
    const { timing } = ctx;
    this.snapshots = createStatusCommitQueue(ctx.db);
    const commit = (event: Parameters<StatusCommitQueue['submit']>[0]['event']) => this.snapshots.submit({ event });
    this.poller = new CallPoller({
      db: ctx.db,
      calls: () => deps.calls,
      simulated: deps.practice,
      clock: ctx.clock,
      logger: createLogger('poller'),
      commit,
      ...(timing.pollFirstAfterMs !== undefined ? { firstPollAfterMs: timing.pollFirstAfterMs } : {}),
      ...(timing.pollMaxIntervalMs !== undefined ? { maxIntervalMs: timing.pollMaxIntervalMs } : {}),
    });
    this.poller.on('call-updated', (attempt) => deps.pushes.attemptUpdated(attempt));
    this.reconciler = new Reconciler({
      db: ctx.db,
      calls: () => deps.calls,
      settings: () => ctx.getSettings(),
      simulated: deps.practice,
      clock: ctx.clock,
      sleep: deps.sleep,
      logger: createLogger('reconciler'),
      commit,
    });
    this.reconciler.on('call-updated', (attempt) => deps.pushes.attemptUpdated(attempt));
    this.reconcileIntervalMs = timing.reconcileIntervalMs ?? RECONCILE_INTERVAL_MS;
  }

  private readonly reconcileIntervalMs: number;

  async start(): Promise<void> {
    this.started = true;
    await this.reconciler.reconcileAll().catch((error: unknown) => log.warn('start-up reconciliation failed; the periodic sweep will retry', { error }));
    // After start-up reconciliation, so calls it just recovered (a SID found for an interrupted dial) are followed too.
    this.poller.start();
    this.reconciler.startPeriodic(this.reconcileIntervalMs);
  }

  async stop(): Promise<void> {
    this.reconciler.stop();
    await bounded('reconciler', () => this.reconciler.idle());
    this.poller.stop();
    await bounded('poller', () => this.poller.idle());
    this.snapshots.flush();
  }

  /** Sweeps now (hosts: after wake; tests). Every open call that should have ended is asked about. */
  reconcileNow(all = false): Promise<SweepReport> {
    if (!this.started) throw new ApiFailure('unavailable', 'the engine is not started');
    return all ? this.reconciler.reconcileAll() : this.reconciler.sweep();
  }
}
