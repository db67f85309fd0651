import type { BatchProgress } from '../../../src-main/core/api/contract';
import { liveCount, outcomeCountEntries } from '../status-words';

/** Calls still going are one "in progress" count; everything else is a final outcome. */
export function BatchCounts({ counts, cancelled = false }: { counts: BatchProgress['counts']; cancelled?: boolean }) {
  const live = liveCount(counts);
  const entries = outcomeCountEntries(counts);
  if (live === 0 && entries.length === 0) return null;
  return (
    <ul className="count-list" aria-label="Calls by status">
      {live > 0 && (
        <li className="count count-live" data-testid="count-in-progress">
          <span className="count-n">{live}</span> in progress
        </li>
      )}
      {entries.map(([key, label, n]) => (
        <li key={key} className={`count count-${key}`} data-testid={`count-${key}`}>
          <span className="count-n">{n}</span> {key === 'skipped' && cancelled ? 'not called (batch cancelled)' : label}
        </li>
      ))}
    </ul>
  );
}
