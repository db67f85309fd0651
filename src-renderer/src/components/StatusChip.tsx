import type { CallSummary } from '../../../src-main/core/api/contract';
import { callStatusLabel } from '../status-words';

/** The live call-status chip. `data-status` carries Twilio's raw word for tests and support. */
export function StatusChip({ call, testId }: { call: CallSummary | null; testId?: string }) {
  const { label, tone } = callStatusLabel(call);
  return (
    <span className={`chip chip-${tone}`} data-testid={testId} data-status={call?.status ?? 'none'} data-final={call ? String(call.isFinal) : 'false'} title={call?.errorMessage ?? undefined}>
      {tone === 'live' && <span className="pulse" aria-hidden="true" />}
      {label}
    </span>
  );
}
