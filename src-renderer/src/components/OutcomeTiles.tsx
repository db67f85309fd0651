import type { OutcomeCounts } from '../../../src-main/core/api/contract';
import { notReachedBreakdown, outcomeEntries } from '../batch-words';
import { RESULT_GROUP_HINTS } from '../status-words';

/** Confirmed / Cancelled (needs rescheduling) / Reached / Voicemail left / Not reached, as five big numbers. */
export function OutcomeTiles({ outcomes, testId = 'outcome-tiles' }: { outcomes: OutcomeCounts; testId?: string }) {
  const breakdown = notReachedBreakdown(outcomes);
  return (
    <div className="results-grid" data-testid={testId}>
      {outcomeEntries(outcomes).map(({ key, label, n }) => (
        <div key={key} className={`result-tile result-${key}`} data-testid={`result-${key}`}>
          <span className="result-n">{n}</span>
          {label}
          <br />
          <small>{key === 'not-reached' && breakdown ? breakdown : RESULT_GROUP_HINTS[key]}</small>
        </div>
      ))}
    </div>
  );
}
