import type { CallAttempt } from '../domain';
import type { RecordResult } from '../store/status-events';

/**
 * What a flush of stored statuses means for the UI: each call once (its state after the last of its events)
 * and each batch whose counts may have moved once. A stored event may add facts (duration, answered-by)
 * without changing the status, so the call is pushed; a batch's counts change only when a status does.
 */
export function coalesceRecorded(results: readonly RecordResult[]): { calls: CallAttempt[]; batches: string[] } {
  const calls = new Map<number, CallAttempt>();
  const batches = new Set<string>();
  for (const result of results) {
    if (!result.attempt || !result.stored) continue;
    calls.set(result.attempt.id, result.attempt);
    if (result.applied) batches.add(result.attempt.batchId);
  }
  return { calls: [...calls.values()], batches: [...batches] };
}
