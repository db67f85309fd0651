import { insertCallbackRequest, type CallbackRequestInput } from '../store/callback-requests';
import type { Db } from '../store/database';
import { GroupCommitQueue } from '../store/group-commit';
import { recordStatusEvent, type RecordResult, type StatusEventInput } from '../store/status-events';

// The callback listener's commit path: a validated status callback and its inspector row are one write of the
// group-commit queue, so a burst of callbacks costs one fsync, and each is acknowledged after its commit.

export interface StatusWrite {
  event: StatusEventInput;
  /** The inspector row, built when the write is applied (so its latency covers the wait for the flush); null: none. */
  inspectorRow?: () => CallbackRequestInput | null;
}

export interface RecordedStatus {
  result: RecordResult;
  event: StatusEventInput;
}

export interface StatusCommitOptions {
  /** Callbacks committed together at most (default 64). */
  maxBatch?: number;
  /** How long the first callback of a flush may wait for others; 0 = the next event-loop turn (default). */
  maxDelayMs?: number;
  /** Once per committed flush, with every status it stored: UI pushes are coalesced on this. */
  onCommitted?(recorded: readonly RecordedStatus[]): void;
  onNotifyError?(error: unknown): void;
}

export type StatusCommitQueue = GroupCommitQueue<StatusWrite, RecordResult>;

export function applyStatusWrite(db: Db, write: StatusWrite): RecordResult {
  const result = recordStatusEvent(db, write.event);
  const row = write.inspectorRow?.();
  if (row) insertCallbackRequest(db, row);
  return result;
}

export function createStatusCommitQueue(db: Db, opts: StatusCommitOptions = {}): StatusCommitQueue {
  const { onCommitted } = opts;
  return new GroupCommitQueue<StatusWrite, RecordResult>({
    db,
    apply: applyStatusWrite,
    ...(opts.maxBatch !== undefined ? { maxBatch: opts.maxBatch } : {}),
    ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
    ...(onCommitted ? { onCommitted: (committed) => onCommitted(committed.map(({ item, result }) => ({ result, event: item.event }))) } : {}),
    ...(opts.onNotifyError ? { onNotifyError: opts.onNotifyError } : {}),
  });
}
