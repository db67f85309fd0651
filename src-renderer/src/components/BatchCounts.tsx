import type { BatchProgress } from '../../../src-main/core/api/contract';

export const COUNT_LABELS: Record<string, string> = {
  pending: 'Waiting',
  dialing: 'Dialing',
  queued: 'Queued',
  initiated: 'Calling',
  ringing: 'Ringing',
  'in-progress': 'On the line',
  completed: 'Completed',
  busy: 'Busy',
  'no-answer': 'No answer',
  failed: 'Failed',
  canceled: 'Call cancelled',
  rejected: 'Not placed',
  skipped: 'Skipped',
};

const ORDER = Object.keys(COUNT_LABELS);

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
          <span className="count-n">{n}</span> {COUNT_LABELS[key]}
        </li>
      ))}
    </ul>
  );
}
