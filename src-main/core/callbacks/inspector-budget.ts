import { callbackRequestsBytes, trimCallbackRequests } from '../store/callback-requests';
import type { Db } from '../store/database';

// The inspector's size budget, besides callbacks.retention_days: a running total of the bytes stored (read once
// from the table, then added to per row) decides when to trim, so an insert costs no SUM over the table. When the
// total passes the budget the oldest rows go (rejected ones first) down to 90 % of it, leaving room for a burst.

export const DEFAULT_INSPECTOR_BUDGET_BYTES = 32 * 1024 * 1024;
const TRIM_TO = 0.9;

export class InspectorBudget {
  private total: number | null = null;

  constructor(
    private readonly db: Db,
    readonly maxBytes: number = DEFAULT_INSPECTOR_BUDGET_BYTES,
  ) {}

  /** Re-reads the total (after pruning by age) and trims when over budget. Returns the rows deleted. */
  resync(): number {
    this.total = callbackRequestsBytes(this.db);
    return this.total > this.maxBytes ? this.trim() : 0;
  }

  /** Counts a stored row; trims when the budget is exceeded. Returns the rows deleted. */
  noteStored(bytes: number): number {
    if (this.total === null) return this.resync();
    this.total += bytes;
    return this.total > this.maxBytes ? this.trim() : 0;
  }

  private trim(): number {
    const deleted = trimCallbackRequests(this.db, Math.floor(this.maxBytes * TRIM_TO));
    this.total = callbackRequestsBytes(this.db);
    return deleted;
  }
}
