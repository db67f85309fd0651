import { useState } from 'react';
import type { BatchPlan } from '../../../src-main/core/api/contract';
import type { SkipReason } from '../../../src-main/core/domain';
import { useAppState } from '../api/hooks';
import { formatAppointmentTime } from '../format';
import { OUTCOME_WORDS, SKIP_REASON_LABELS, dataModeLabel, plural } from '../status-words';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * The one question before any batch dials: who will be called, who is left out and why, from which number, in
 * which mode. Calling an already-reminded patient again is ticked patient by patient; nothing is re-called in bulk.
 * A batch already calling is named, and starting another one alongside it is said in the button.
 */
export function BatchConfirmDialog({
  plan,
  busy,
  onConfirm,
  onCancel,
}: {
  plan: BatchPlan;
  busy: boolean;
  onConfirm: (choice: { callAgain: number[]; alongsideRunning: boolean }) => void;
  onCancel: () => void;
}) {
  const { timezone } = useAppState();
  const [callAgain, setCallAgain] = useState<ReadonlySet<number>>(new Set());
  const toCall = plan.toCall.length + callAgain.size;
  const running = plan.runningBatches.length > 0;
  const reasons = (Object.entries(plan.skippedCounts) as [SkipReason, number][]).filter(([, n]) => n > 0);

  const toggle = (id: number) =>
    setCallAgain((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const confirmLabel = toCall === 0 ? 'Nobody to call' : `${running ? 'Start alongside · ' : ''}Call ${plural(toCall, 'patient')}`;

  return (
    <ConfirmDialog
      title={`Start reminder calls · ${plan.label}`}
      confirmLabel={confirmLabel}
      confirmDisabled={toCall === 0 || plan.blockedReason !== null}
      busy={busy}
      onConfirm={() => onConfirm({ callAgain: [...callAgain], alongsideRunning: running })}
      onCancel={onCancel}
      tone={plan.mode === 'real' ? 'danger' : 'primary'}
      testId="batch-confirm"
    >
      <p className="confirm-big" data-testid="plan-to-call">
        {plural(toCall, 'patient')} will be called
      </p>
      {plan.blockedReason && (
        <p className="error-banner" data-testid="plan-blocked">
          {plan.blockedReason}
        </p>
      )}
      {running && (
        <p className="warning-text" data-testid="plan-running">
          {plan.runningBatches.length === 1 ? 'Another batch is still calling' : `${plan.runningBatches.length} other batches are still calling`}: {plan.runningBatches.map((b) => b.label).join(', ')}. Both will call at the same time.
        </p>
      )}
      <dl className="confirm-facts">
        <dt>Calls come from</dt>
        <dd className="mono" data-testid="plan-from">
          {plan.fromNumber ?? 'No caller number set up'}
        </dd>
        <dt>Mode</dt>
        <dd className={plan.mode === 'real' ? 'mode-real' : undefined} data-testid="plan-mode">
          {dataModeLabel(plan.mode)}
        </dd>
        <dt>Calling hours</dt>
        <dd>
          {plan.callingHours.start}–{plan.callingHours.end} ({plan.callingHours.timezone.replace(/_/g, ' ')})
          {!plan.callingHours.withinNow && ' · it is outside these hours now: calls wait until they open'}
        </dd>
      </dl>
      {reasons.length > 0 && (
        <>
          <p>
            <strong data-testid="plan-skipped">{plural(plan.skipped.length, 'patient')} will not be called:</strong>
          </p>
          <ul data-testid="plan-skip-reasons">
            {reasons.map(([reason, n]) => (
              <li key={reason} data-reason={reason}>
                {SKIP_REASON_LABELS[reason]}: {n}
              </li>
            ))}
          </ul>
          <div className="skip-list">
            <table className="simple-table" data-testid="plan-skip-list">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Appointment</th>
                  <th scope="col">Why</th>
                  <th scope="col">Call again?</th>
                </tr>
              </thead>
              <tbody>
                {plan.skipped.map((skip) => (
                  <tr key={skip.appointmentId} data-testid={`plan-skip-${skip.appointmentId}`}>
                    <td>{skip.name}</td>
                    <td>{formatAppointmentTime(skip.appointmentAt, timezone)}</td>
                    <td>
                      {SKIP_REASON_LABELS[skip.reason]}
                      {skip.lastOutcome ? ` (${OUTCOME_WORDS[skip.lastOutcome].toLowerCase()})` : ''}
                    </td>
                    <td>
                      {skip.reason === 'already-reminded' ? (
                        <label className="inline-check">
                          <input type="checkbox" aria-label={`Call ${skip.name} again`} checked={callAgain.has(skip.appointmentId)} onChange={() => toggle(skip.appointmentId)} data-testid={`call-again-${skip.appointmentId}`} />{' '}
                          Call again
                        </label>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ConfirmDialog>
  );
}
