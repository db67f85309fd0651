import type { BatchProgress, CallbackRequestView, ConnectionStatus } from '../core/api/contract';
import type { CallAttempt } from '../core/domain';
import { maskPhone } from '../core/vocabulary/mask-phone';

// Human-readable output. Patient phone numbers are masked on screen as in the logs.

const COUNT_ORDER = ['completed', 'busy', 'no-answer', 'failed', 'canceled', 'in-progress', 'ringing', 'initiated', 'queued', 'dialing', 'pending', 'rejected', 'skipped'];

export function formatCounts(counts: BatchProgress['counts']): string {
  const entries = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0);
  entries.sort(([a], [b]) => COUNT_ORDER.indexOf(a) - COUNT_ORDER.indexOf(b));
  return entries.length ? entries.map(([status, n]) => `${status} ${n}`).join(', ') : 'no calls';
}

export function formatProgress(progress: BatchProgress): string {
  const { batch } = progress;
  const lines = [
    `Batch ${batch.id}${batch.simulated ? ' (SIMULATED)' : ''}: ${batch.state.replace('_', ' ')}, ${progress.finished}/${progress.total} calls final`,
    `  ${formatCounts(progress.counts)}`,
  ];
  if (progress.etaSeconds !== null) lines.push(`  about ${progress.etaSeconds} s of dialing left`);
  return lines.join('\n');
}

export function formatOpenCall(attempt: CallAttempt, name: string | null): string {
  const who = `${name ?? `appointment ${attempt.appointmentId}`} ${attempt.toNumber ? maskPhone(attempt.toNumber) : ''}`.trim();
  return `  still open: ${who} — ${attempt.status ?? attempt.state}${attempt.callSid ? ` (${attempt.callSid})` : ''}`;
}

export function formatConnection(status: ConnectionStatus): string {
  const lines = [status.summary];
  if (status.rejectedSignatures > 0) lines.push(`  ${status.rejectedSignatures} callback(s) rejected${status.rejectionReason ? `: ${status.rejectionReason}` : ''}`);
  if (status.lastCallbackAt) lines.push(`  last callback received ${status.lastCallbackAt}`);
  return lines.join('\n');
}

export function formatCallbackRequest(r: CallbackRequestView): string {
  const verdict = r.signatureVerdict === 'valid' ? 'signed' : r.signatureVerdict;
  const reason = r.rejectionReason ? ` — ${r.rejectionReason}` : '';
  return `#${r.id} ${r.receivedAt} ${r.method} ${r.path} ${r.responseStatus} ${verdict} ${r.latencyMs.toFixed(1)}ms${r.callSid ? ` ${r.callSid}` : ''}${reason}`;
}
