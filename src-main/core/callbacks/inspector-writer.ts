import type { ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger';
import { incrementCounter, setMeta } from '../store/app-meta';
import { insertCallbackRequest, storedBytesOf, type CallbackRequestInput } from '../store/callback-requests';
import type { Db } from '../store/database';
import { DeferredWriter } from './deferred-writer';
import { inspectorRowOf, statusOf, type Exchange } from './exchange';
import type { ListenerGuard } from './listener-guard';

// How requests reach the callback inspector: every row passes the guard's disk budget (a rejected request keeps only
// an excerpt, none while the disk is low); a valid request's row is committed at once (or inside its status's group
// commit); rejected ones are written in batches, so a flood of forgeries costs no fsync each.

export const REJECTED_SIGNATURES_KEY = 'callbacks.rejected_signatures';
export const LAST_REJECTION_REASON_KEY = 'callbacks.last_rejection_reason';

interface Entry {
  row: CallbackRequestInput;
  counted: boolean;
}

export class InspectorWriter {
  private readonly rejectedRows = new DeferredWriter<Entry>((entries) => this.writeRows(entries));

  constructor(
    private readonly db: Db,
    private readonly guard: ListenerGuard,
    /** The last plain rejection reason worth keeping for the connection panel. */
    private readonly lastRejectionReason: () => string | null,
    private readonly log: Logger,
  ) {}

  /**
   * After the response: the inspector row and, for a rejection, the persisted counter and reason. A valid
   * request's row is committed now; rejected ones are written in batches (deferred-writer.ts).
   */
  store(ex: Exchange, res: ServerResponse): void {
    if (ex.commit) return; // written by the group commit (or will be, when the wait for it ends)
    const entry = { row: inspectorRowOf(ex, statusOf(ex, res)), counted: ex.counted };
    // Pending rejected rows go first, in the same transaction: the inspector keeps the order requests ended in.
    if (ex.signatureVerdict === 'valid') this.writeRows([...this.rejectedRows.drain(), entry]);
    else this.rejectedRows.add(entry);
  }

  /** A valid status callback's inspector row, written inside its group commit (disk budget applied, as for every row). */
  rowInCommit(ex: Exchange, responseStatus: number): CallbackRequestInput | null {
    const row = this.guard.inspectorRow(inspectorRowOf(ex, responseStatus));
    if (row) this.guard.noteStored(storedBytesOf(row));
    return row;
  }

  /** Writes what is pending (at stop). */
  flush(): void {
    this.rejectedRows.flush();
  }

  private writeRows(entries: Entry[]): void {
    try {
      this.db.transaction(() => {
        for (const entry of entries) {
          // Null for a rejected request while the disk is low; otherwise rejected requests keep an excerpt.
          const row = this.guard.inspectorRow(entry.row);
          if (row) {
            insertCallbackRequest(this.db, row);
            this.guard.noteStored(storedBytesOf(row));
          }
        }
        const counted = entries.filter((entry) => entry.counted).length;
        const reason = this.lastRejectionReason();
        if (counted > 0) {
          incrementCounter(this.db, REJECTED_SIGNATURES_KEY, counted);
          if (reason) setMeta(this.db, LAST_REJECTION_REASON_KEY, reason);
        }
      })();
    } catch (error) {
      this.log.warn('Could not store requests in the callback inspector', { requests: entries.length, error });
    }
  }
}
