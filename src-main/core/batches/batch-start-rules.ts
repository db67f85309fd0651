import type { SkipReason } from '../domain';
import { SKIP_REASON_WORDS } from '../vocabulary/skip-reasons';

// The staff sentences a refused batch start gives, and the options a start takes (issue 8).

export interface CreateBatchRequest {
  /** The wizard's test call to the staff member's own phone. */
  testCall?: boolean;
  /** Staff confirmed starting while another batch of this mode is calling or paused. */
  alongsideRunning?: boolean;
  /** `reminder-desk run`: a batch whose every patient is skipped is still made, so the export says why. */
  keepWhenNobodyToCall?: boolean;
}

/** "3 patients already reminded, 2 appointments already passed". */
export function describeSkips(counts: Partial<Record<SkipReason, number>>): string {
  return (Object.keys(SKIP_REASON_WORDS) as SkipReason[])
    .filter((r) => (counts[r] ?? 0) > 0)
    .map((r) => SKIP_REASON_WORDS[r].counted(counts[r]!))
    .join(', ');
}

export function nobodyToCallMessage(counts: Partial<Record<SkipReason, number>>, callingHours: { start: string; end: string }): string {
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  if ((counts['outside-calling-hours'] ?? 0) === total && total > 0) {
    // Kept word for word from the calling-hours rule that came before (scripts and tests match it).
    return `It is outside calling hours (${callingHours.start}–${callingHours.end}, clinic time), so no reminder calls are placed now. Start the batch during calling hours, or change them in Settings (scheduling.calling_hours).`;
  }
  return `Nobody here needs a reminder call: ${describeSkips(counts)}. To call an already-reminded patient again, choose "Call again" for that patient.`;
}

export function anotherBatchRunningMessage(labels: readonly string[]): string {
  const which = labels.length === 1 ? `the batch for ${labels[0]} is` : `${labels.length} batches are`;
  return `Another batch is still calling: ${which} not finished. Wait for it to finish, or confirm that both should call at the same time.`;
}
