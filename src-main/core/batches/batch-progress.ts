import type { BatchProgress } from '../api/contract';
import type { Batch } from '../domain';
import { tallyAttempts } from '../results/outcome-counts';
import { batchAttemptGroups, countsOfGroups } from '../store/call-history';
import type { Db } from '../store/database';
import { toBatchView } from './batch-view';

/**
 * Counts per status and an ETA from the calling pace: the calls still to dial, spaced at
 * `calling.calls_per_second`. Null once nothing is left to dial (the rest is Twilio's call progress) and while
 * paused. Outcomes count final outcomes only; calls still ringing after a cancel stay live ("finishing") until
 * they end, and patients a cancel left uncalled are counted apart from those a rule skipped at the start.
 */
export function batchProgress(db: Db, batch: Batch, callsPerSecond: number): BatchProgress {
  // One grouped read of the batch serves both the status counts and the outcomes (this runs on every status change).
  const groups = batchAttemptGroups(db, batch.id);
  const { counts, total, final } = countsOfGroups(groups);
  const toDial = counts.pending ?? 0;
  const tally = tallyAttempts(groups);
  const phase: BatchProgress['phase'] =
    batch.state === 'paused' ? 'paused' : batch.state === 'running' ? 'calling' : tally.liveCalls > 0 ? 'finishing' : 'done';
  return {
    batch: toBatchView(db, batch),
    counts,
    total,
    finished: final,
    etaSeconds: toDial > 0 && batch.state === 'running' ? Math.ceil(toDial / callsPerSecond) : null,
    openCalls: Math.max(0, total - final - toDial),
    outcomes: tally.outcomes,
    liveCalls: tally.liveCalls,
    waiting: tally.waiting,
    notCalledCancelled: tally.notCalledCancelled,
    skippedByRule: tally.skippedByRule,
    phase,
  };
}
