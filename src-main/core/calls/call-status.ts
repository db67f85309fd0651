import type { CallStatus, StatusSource } from '../domain';

export const CALL_STATUSES: readonly CallStatus[] = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
];

export const FINAL_STATUSES: ReadonlySet<CallStatus> = new Set<CallStatus>(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export function isCallStatus(value: unknown): value is CallStatus {
  return typeof value === 'string' && (CALL_STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: CallStatus | null | undefined): boolean {
  return status != null && FINAL_STATUSES.has(status);
}

/** How far a call has progressed; every final status ranks above every live one. */
export function progressRank(status: CallStatus): number {
  switch (status) {
    case 'queued':
      return 0;
    case 'initiated':
      return 1;
    case 'ringing':
      return 2;
    case 'in-progress':
      return 3;
    default:
      return 4;
  }
}

export interface AppliedState {
  status: CallStatus | null;
  /** Where the current status came from. */
  source: StatusSource | null;
  lastSequenceNumber: number | null;
}

export interface IncomingStatus {
  status: CallStatus;
  source: StatusSource;
  sequenceNumber: number | null;
}

/**
 * Whether an incoming status moves a call forward. Callbacks can arrive shuffled, duplicated or missing,
 * and polls of the Call resource are eventually consistent, so:
 * - a final status is never replaced (not even by another final status);
 * - a final status always wins over a live one;
 * - between two callbacks the higher SequenceNumber wins;
 * - otherwise the further progress wins: a poll or reconcile snapshot has no sequence, and a callback arriving
 *   after one can carry a higher number than the last callback yet still be behind what the snapshot saw
 *   (initiated#0, poll in-progress, ringing#1 must stay in-progress).
 */
export function shouldApply(current: AppliedState, incoming: IncomingStatus): boolean {
  if (current.status === null) return true;
  if (isFinalStatus(current.status)) return false;
  if (isFinalStatus(incoming.status)) return true;
  if (current.source === 'callback' && incoming.source === 'callback' && incoming.sequenceNumber !== null && current.lastSequenceNumber !== null) {
    return incoming.sequenceNumber > current.lastSequenceNumber;
  }
  return progressRank(incoming.status) > progressRank(current.status);
}
