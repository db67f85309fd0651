import type { ConnectionStatus } from './api/contract';
import { batchProgress } from './batches/batch-progress';
import { coalesceRecorded } from './callbacks/coalesce-recorded';
import { toCallSummary } from './calls/call-views';
import type { CallAttempt } from './domain';
import type { EngineContext } from './engine-context';
import { trailingThrottle } from './engine-events';
import { getBatch } from './store/batches';
import type { RecordResult } from './store/status-events';

const CONNECTION_PUSH_INTERVAL_MS = 1_000;
/**
 * A batch's moving counts are pushed at most this often per batch (first one at once, last one always): each push
 * counts the whole batch, which for a 10,000-call batch under a burst of callbacks, a sweep over every open call or
 * 10 dials a second would cost more than the work being reported.
 */
const BATCH_COUNTS_PUSH_INTERVAL_MS = 250;

/**
 * The one way rooms tell the UI that something changed, shaped as the API contract's events. Connection pushes
 * are throttled (a burst of callbacks is one push); call and batch pushes carry the fresh view.
 */
export class UiPushes {
  private readonly throttledConnection: { (): void; cancel(): void };
  private closed = false;
  private readonly batchPushes = new Map<string, { (): void; cancel(): void }>();

  constructor(
    private readonly ctx: EngineContext,
    connectionStatus: () => ConnectionStatus,
  ) {
    this.throttledConnection = trailingThrottle(() => {
      if (!this.closed) ctx.events.emit('connection-changed', connectionStatus());
    }, CONNECTION_PUSH_INTERVAL_MS);
  }

  /** The connection status line changed (throttled: a burst of callbacks is one push). */
  connection(): void {
    if (!this.closed) this.throttledConnection();
  }

  /** The engine is stopping: nothing more is pushed (a late tunnel event must not read a closed database). */
  close(): void {
    this.closed = true;
    this.throttledConnection.cancel();
    for (const pending of this.batchPushes.values()) pending.cancel();
    this.batchPushes.clear();
  }

  call(attempt: CallAttempt): void {
    if (this.closed) return;
    this.ctx.events.emit('call-updated', { appointmentId: attempt.appointmentId, call: toCallSummary(attempt) });
  }

  /** The batch changed state (started, paused, resumed, cancelled, finished): pushed at once. */
  batch(batchId: string): void {
    if (this.closed) return;
    const batch = getBatch(this.ctx.db, batchId);
    if (batch) this.ctx.events.emit('batch-progress', batchProgress(this.ctx.db, batch, this.ctx.getSettings().calling.calls_per_second));
  }

  /** A poll or a reconcile moved one call: the call at once, its batch's counts soon. */
  attemptUpdated(attempt: CallAttempt): void {
    this.call(attempt);
    this.batchSoon(attempt.batchId);
  }

  /** Once per group commit of statuses: each call once (its latest state), each moved batch soon, one connection push. */
  statusesRecorded(results: readonly RecordResult[]): void {
    const { calls, batches } = coalesceRecorded(results);
    for (const attempt of calls) this.call(attempt);
    for (const batchId of batches) this.batchSoon(batchId);
    this.connection();
  }

  /** The batch's counts moved: pushed at most every BATCH_COUNTS_PUSH_INTERVAL_MS (first at once, last always). */
  batchSoon(batchId: string): void {
    if (this.closed) return;
    let push = this.batchPushes.get(batchId);
    if (!push) {
      push = trailingThrottle(() => {
        this.batch(batchId);
      }, BATCH_COUNTS_PUSH_INTERVAL_MS);
      this.batchPushes.set(batchId, push);
    }
    push();
  }

  appointmentsChanged(reason: 'import' | 'batch' | 'confirmation'): void {
    if (this.closed) return;
    this.ctx.events.emit('appointments-changed', { reason });
  }
}
