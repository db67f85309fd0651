import type { BatchProgress } from '../../../src-main/core/api/contract';
import { statusLabel } from '../../../src-main/core/vocabulary/status-labels';

const ORDER = ['pending', 'dialing', 'queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled', 'rejected', 'skipped'] as const;

export function countEntries(counts: BatchProgress['counts']): [string, number][] {
  return ORDER.map((key): [string, number] => [key, counts[key as keyof typeof counts] ?? 0]).filter(([, n]) => n > 0);
}

export function BatchCounts({ counts }: { counts: BatchProgress['counts'] }) {
  const entries = countEntries(counts);
  if (entries.length === 0) return null;
  return (
    <ul className="count-list" aria-label="Calls by status">
      {entries.map(([key, n]) => (
        <li key={key} className={`count count-${key}`} data-testid={`count-${key}`}>
          <span className="count-n">{n}</span> {statusLabel(key)}
        </li>
      ))}
    </ul>
  );
}
