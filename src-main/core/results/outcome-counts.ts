import type { OutcomeCounts } from '../api/contract';
import { notReachedKind, reminderOutcome, type OutcomeFacts } from '../calls/reminder-outcome';
import type { ReminderOutcome, SkipReason } from '../domain';

// Counts staff can act on (issue 8): final outcomes only, kept apart from calls still live, patients still
// waiting, patients a cancel left uncalled and patients a rule skipped.

export interface BatchTally {
  outcomes: OutcomeCounts;
  liveCalls: number;
  waiting: number;
  notCalledCancelled: number;
  skippedByRule: Partial<Record<SkipReason, number>>;
}

export function emptyOutcomeCounts(): OutcomeCounts {
  return { confirmed: 0, cancelled: 0, reached: 0, voicemail: 0, notReached: 0, notReachedBy: { busy: 0, noAnswer: 0, failed: 0, notPlaced: 0 } };
}

/** Adds `n` patients with `outcome` (final outcomes only; others are ignored here). */
export function addOutcome(counts: OutcomeCounts, outcome: ReminderOutcome, facts: OutcomeFacts | null, n = 1): void {
  switch (outcome) {
    case 'confirmed':
    case 'cancelled':
    case 'reached':
    case 'voicemail':
      counts[outcome] += n;
      return;
    case 'not-reached': {
      counts.notReached += n;
      const kind = facts ? notReachedKind(facts) : null;
      if (kind === 'busy') counts.notReachedBy.busy += n;
      else if (kind === 'no-answer') counts.notReachedBy.noAnswer += n;
      else if (kind === 'not-placed') counts.notReachedBy.notPlaced += n;
      else counts.notReachedBy.failed += n;
      return;
    }
    default:
      return;
  }
}

export function tallyAttempts(groups: readonly (OutcomeFacts & { skipReason: SkipReason | null; n: number })[]): BatchTally {
  const tally: BatchTally = { outcomes: emptyOutcomeCounts(), liveCalls: 0, waiting: 0, notCalledCancelled: 0, skippedByRule: {} };
  for (const group of groups) {
    const outcome = reminderOutcome(group);
    if (outcome === 'in-progress') tally.liveCalls += group.n;
    else if (outcome === 'waiting') tally.waiting += group.n;
    else if (outcome === 'not-called') {
      const reason = group.skipReason ?? 'batch-cancelled';
      if (reason === 'batch-cancelled') tally.notCalledCancelled += group.n;
      else tally.skippedByRule[reason] = (tally.skippedByRule[reason] ?? 0) + group.n;
    } else addOutcome(tally.outcomes, outcome, group, group.n);
  }
  return tally;
}
