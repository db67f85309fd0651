import type { BatchProgress } from '../api/contract';
import type { Batch } from '../domain';
import { batchCounts } from '../store/call-attempts';
import type { Db } from '../store/database';

/**
 * Counts per status and an ETA from the calling pace: the calls still to dial, spaced at
 * `calling.calls_per_second`. Null once nothing is left to dial (the rest is Twilio's call progress).
 */
export function batchProgress(db: Db, batch: Batch, callsPerSecond: number): BatchProgress {
  const { counts, total, final } = batchCounts(db, batch.id);
  const toDial = counts.pending ?? 0;
  const stillRunning = batch.state === 'running' || batch.state === 'paused';
  return {
    batch,
    counts,
    total,
    finished: final,
    etaSeconds: toDial > 0 && stillRunning ? Math.ceil(toDial / callsPerSecond) : null,
    openCalls: Math.max(0, total - final - toDial),
  };
}
