import type { Db } from './database';

// Group commit: writes that arrive together are applied in ONE transaction, so one fsync (synchronous = FULL)
// pays for all of them instead of one each. Each writer's promise settles only after that commit: a caller
// that acknowledges after `await submit(...)` never acknowledges something that is not on disk.
//
// A flush starts when `maxBatch` writes are queued, or when the deadline after the first queued write passes
// (`maxDelayMs`; 0 = the next turn of the event loop, i.e. everything read from the sockets in this turn).
// Each write runs in its own savepoint: one that throws is rolled back alone and only its caller sees the error;
// a failed COMMIT fails every write of that flush (and nothing else).

export interface GroupCommitOptions<I, R> {
  db: Db;
  /** Applies one write; runs inside the flush's transaction, in submission order. */
  apply(db: Db, item: I): R;
  /** Flush as soon as this many writes are queued (default 64). */
  maxBatch?: number;
  /** Flush at the latest this long after the first write was queued; 0 = setImmediate (default). */
  maxDelayMs?: number;
  /** After each committed flush, with every write that succeeded in it (for coalesced notifications). */
  onCommitted?(committed: readonly { item: I; result: R }[]): void;
  /** Called when onCommitted throws: it must never fail writers whose data is already committed. */
  onNotifyError?(error: unknown): void;
}

/** The queue was closed: nothing more is accepted. */
export class GroupCommitClosedError extends Error {
  override readonly name = 'GroupCommitClosedError';
}

interface Pending<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  flushes: number;
  writes: number;
  failedFlushes: number;
  largestFlush: number;
}

export class GroupCommitQueue<I, R> {
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private queue: Pending<I, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  private readonly counters: GroupCommitStats = { flushes: 0, writes: 0, failedFlushes: 0, largestFlush: 0 };

  constructor(private readonly opts: GroupCommitOptions<I, R>) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 64);
    this.maxDelayMs = Math.max(0, opts.maxDelayMs ?? 0);
  }

  /**
   * Queues one write; resolves with its result once the transaction holding it committed. The queue is bounded
   * by maxBatch: the write that fills it flushes it synchronously, so memory never grows with the load.
   */
  submit(item: I): Promise<R> {
    if (this.closed) return Promise.reject(new GroupCommitClosedError('The commit queue is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.arm();
    });
  }

  /** Writes waiting for their flush. */
  get pending(): number {
    return this.queue.length;
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  /** Commits everything queued now (also used by close()). */
  flush(): void {
    this.disarm();
    while (this.queue.length > 0) this.flushOne(this.queue.splice(0, this.maxBatch));
  }

  /** Commits what is queued and refuses later writes. */
  close(): void {
    this.closed = true;
    this.flush();
  }

  private arm(): void {
    if (this.timer || this.immediate) return;
    if (this.maxDelayMs === 0) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private flushOne(batch: Pending<I, R>[]): void {
    const { db, apply } = this.opts;
    const outcomes: ({ ok: true; result: R } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const pending of batch) {
          try {
            // A nested better-sqlite3 transaction is a SAVEPOINT: a write that throws is undone alone.
            outcomes.push({ ok: true, result: db.transaction(() => apply(db, pending.item))() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, I/O error, locked past busy_timeout): nothing of this flush is durable.
      this.counters.failedFlushes += 1;
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.counters.flushes += 1;
    this.counters.writes += batch.length;
    this.counters.largestFlush = Math.max(this.counters.largestFlush, batch.length);
    const committed: { item: I; result: R }[] = [];
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        committed.push({ item: pending.item, result: outcome.result });
        pending.resolve(outcome.result);
      } else pending.reject(outcome.error);
    });
    if (committed.length === 0 || !this.opts.onCommitted) return;
    try {
      this.opts.onCommitted(committed);
    } catch (error) {
      this.opts.onNotifyError?.(error);
    }
  }
}
