import type { BatchProgress } from '../../../src-main/core/api/contract';
import type { SkipReason } from '../../../src-main/core/domain';
import { batchNumbers, outcomeEntries } from '../batch-words';
import { SKIP_REASON_LABELS } from '../status-words';

/**
 * What a batch achieved so far, in the desk's words: calls still going, then the five results (Confirmed,
 * Cancelled, Reached, Voicemail left, Not reached), then who was never called and why. Never Twilio's
 * "completed", which lumps people and voicemail together.
 */
export function BatchCounts({ progress }: { progress: BatchProgress }) {
  const n = batchNumbers(progress);
  const outcomes = outcomeEntries(progress.outcomes).filter((e) => e.n > 0);
  const skipped = (Object.entries(progress.skippedByRule) as [SkipReason, number | undefined][]).filter(([, count]) => (count ?? 0) > 0);
  if (n.live + n.waiting + outcomes.length + n.notCalledCancelled + skipped.length === 0) return null;
  return (
    <ul className="count-list" aria-label="Calls by result">
      {n.live > 0 && (
        <li className="count count-live" data-testid="count-in-progress">
          <span className="count-n">{n.live}</span> in progress
        </li>
      )}
      {n.waiting > 0 && (
        <li className="count" data-testid="count-waiting">
          <span className="count-n">{n.waiting}</span> waiting
        </li>
      )}
      {outcomes.map((entry) => (
        <li key={entry.key} className={`count count-${entry.key}`} data-testid={`count-${entry.key}`}>
          <span className="count-n">{entry.n}</span> {entry.label}
        </li>
      ))}
      {n.notCalledCancelled > 0 && (
        <li className="count" data-testid="count-not-called-cancelled">
          <span className="count-n">{n.notCalledCancelled}</span> not called (batch cancelled)
        </li>
      )}
      {skipped.map(([reason, count]) => (
        <li key={reason} className="count" data-testid={`count-skipped-${reason}`}>
          <span className="count-n">{count}</span> skipped: {SKIP_REASON_LABELS[reason].toLowerCase()}
        </li>
      ))}
    </ul>
  );
}
