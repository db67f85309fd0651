import type { BatchProgress, OutcomeCounts } from '../../src-main/core/api/contract';
import { formatEta } from './format';
import { RESULT_GROUP_SHORT, type ResultGroup, plural } from './status-words';

// A batch's progress told truthfully: patients skipped at the start or left out by a cancel are not "finished
// calls", and calls still ringing after a cancel are in progress until they end.

export interface BatchNumbers {
  /** Patients the batch dials (or dialled): total minus those never called. */
  called: number;
  /** Calls that reached a final status. */
  ended: number;
  live: number;
  waiting: number;
  notCalledCancelled: number;
  skippedByRule: number;
}

export function batchNumbers(progress: BatchProgress): BatchNumbers {
  const skippedByRule = Object.values(progress.skippedByRule).reduce((sum, n) => sum + (n ?? 0), 0);
  const called = Math.max(0, progress.total - progress.notCalledCancelled - skippedByRule);
  const ended = Math.max(0, called - progress.liveCalls - progress.waiting);
  return { called, ended, live: progress.liveCalls, waiting: progress.waiting, notCalledCancelled: progress.notCalledCancelled, skippedByRule };
}

/** "3 of 5 calls ended · 2 in progress · 710 not called (batch cancelled)" */
export function batchProgressLine(progress: BatchProgress): string {
  const n = batchNumbers(progress);
  const parts = [`${n.ended} of ${plural(n.called, 'call')} ended`];
  if (n.live > 0) parts.push(`${n.live} in progress`);
  if (n.notCalledCancelled > 0) parts.push(`${n.notCalledCancelled} not called (batch cancelled)`);
  // No time estimate while paused: nothing is being dialled, so any figure would be wrong.
  if (progress.phase === 'calling' && progress.etaSeconds !== null) parts.push(formatEta(progress.etaSeconds));
  return parts.join(' · ');
}

export function batchHeadline(progress: BatchProgress): string {
  const n = batchNumbers(progress);
  switch (progress.phase) {
    case 'calling':
      return 'Calling…';
    case 'paused':
      return 'Paused';
    case 'finishing':
      return progress.batch.state === 'cancelled'
        ? `Cancelled · ${plural(n.live, 'call')} still on the line, shown until ${n.live === 1 ? 'it ends' : 'they end'}`
        : `Finishing · ${plural(n.live, 'call')} still on the line`;
    case 'done':
      if (progress.batch.state === 'cancelled') return 'Cancelled';
      if (progress.batch.state === 'timed_out') return 'Finished (some calls never reported back)';
      return 'All calls ended';
  }
}

export const OUTCOME_KEYS: Record<ResultGroup, keyof Omit<OutcomeCounts, 'notReachedBy'>> = {
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  reached: 'reached',
  voicemail: 'voicemail',
  'not-reached': 'notReached',
};

/** The five results staff act on, in order, for tiles and the chart. */
export function outcomeEntries(outcomes: OutcomeCounts): { key: ResultGroup; label: string; n: number }[] {
  return (Object.keys(OUTCOME_KEYS) as ResultGroup[]).map((key) => ({ key, label: RESULT_GROUP_SHORT[key], n: outcomes[OUTCOME_KEYS[key]] }));
}

/** "busy 2, no answer 1" for the Not reached tile. */
export function notReachedBreakdown(outcomes: OutcomeCounts): string {
  const by = outcomes.notReachedBy;
  return [
    [by.busy, 'busy'],
    [by.noAnswer, 'no answer'],
    [by.failed, 'failed'],
    [by.notPlaced, 'not placed'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${word} ${n}`)
    .join(', ');
}
