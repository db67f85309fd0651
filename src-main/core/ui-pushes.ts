import type { ConnectionStatus } from './api/contract';
import { batchProgress } from './batches/batch-progress';
import { toCallSummary } from './calls/call-views';
import type { CallAttempt } from './domain';
import type { EngineContext } from './engine-context';
import { trailingThrottle } from './engine-events';
import { getBatch } from './store/batches';
import type { RecordResult } from './store/status-events';

const CONNECTION_PUSH_INTERVAL_MS = 1_000;

/**
 * The one way rooms tell the UI that something changed, shaped as the API contract's events. Connection pushes
 * are throttled (a burst of callbacks is one push); call and batch pushes carry the fresh view.
 */
export class UiPushes {
  private readonly throttledConnection: { (): void; cancel(): void };
  private closed = false;

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
  }

  call(attempt: CallAttempt): void {
    this.ctx.events.emit('call-updated', { appointmentId: attempt.appointmentId, call: toCallSummary(attempt) });
  }

  batch(batchId: string): void {
    const batch = getBatch(this.ctx.db, batchId);
    if (batch) this.ctx.events.emit('batch-progress', batchProgress(this.ctx.db, batch, this.ctx.getSettings().calling.calls_per_second));
  }

  attemptUpdated(attempt: CallAttempt): void {
    this.call(attempt);
    this.batch(attempt.batchId);
  }

  statusRecorded(result: RecordResult): void {
    if (result.attempt && result.stored) {
      // A stored event may add facts (duration, answered-by) without changing the status; the batch's counts
      // change only when the status does.
      this.call(result.attempt);
      if (result.applied) this.batch(result.attempt.batchId);
    }
    this.connection();
  }

  appointmentsChanged(reason: 'import' | 'batch' | 'confirmation'): void {
    this.ctx.events.emit('appointments-changed', { reason });
  }
}
