import { useCallback, useEffect, useRef, useState } from 'react';
import type { Envelope, TimelineEvent, TimelineView } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { StatusChip } from '../components/StatusChip';
import { ErrorNotice } from '../errors/ErrorNotice';
import type { ErrorLike } from '../errors/plain-errors';
import { formatAppointmentTime, formatClock, formatDateTime, formatDuration } from '../format';
import { answeredByLabel, confirmationLabel, reminderStateLabel, sourceLabel, statusLabel } from '../status-words';

/** Callbacks carry Twilio's SequenceNumber; poll and reconcile snapshots have none and sort by arrival. */
function inSequence(events: TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => {
    const sa = a.sequenceNumber ?? Number.POSITIVE_INFINITY;
    const sb = b.sequenceNumber ?? Number.POSITIVE_INFINITY;
    if (sa !== sb) return sa - sb;
    return a.receivedAt.localeCompare(b.receivedAt) || a.id - b.id;
  });
}

type TimelineCall = TimelineView['calls'][number];

/** Newest call first (the core sends them so; sorted again so the label can never sit on an older call). */
function newestFirst(calls: TimelineCall[]): TimelineCall[] {
  return [...calls].sort((a, b) => b.callNumber - a.callNumber || b.attempt.attemptId - a.attempt.attemptId);
}

/**
 * A patient's calls, as a drawer beside the board. It takes focus when it opens (its heading), Esc closes it,
 * and focus goes back to whatever opened it (the patient's name on the board).
 */
export function TimelinePanel({ appointmentId, onClose }: { appointmentId: number; onClose: () => void }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [timeline, setTimeline] = useState<TimelineView | null>(null);
  const [error, setError] = useState<ErrorLike | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const apply = useCallback((result: Envelope<TimelineView>) => {
    if (result.ok) {
      setTimeline(result.value);
      setError(null);
    } else setError(result.error);
  }, []);

  useEffect(() => {
    let stale = false;
    void api.invoke('appointments/timeline', { appointmentId }).then((result) => !stale && apply(result));
    return () => {
      stale = true;
    };
  }, [api, appointmentId, apply]);

  // Focus in on open (and when another patient is opened), back to the opener on close.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [appointmentId]);

  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [onClose]);
  useApiEvent('call-updated', (payload) => {
    if (payload.appointmentId === appointmentId) void api.invoke('appointments/timeline', { appointmentId }).then(apply);
  });
  useResync(() => void api.invoke('appointments/timeline', { appointmentId }).then(apply));

  const calls = timeline ? newestFirst(timeline.calls) : [];

  return (
    <aside className="timeline-panel" data-testid="timeline-panel" aria-labelledby="timeline-heading">
      <div className="panel-head">
        <h2 id="timeline-heading" ref={heading} tabIndex={-1}>
          {timeline ? timeline.appointment.name : 'Patient'}
        </h2>
        <button type="button" className="button ghost" onClick={onClose} aria-label="Close the patient’s calls" data-testid="timeline-close">
          Close
        </button>
      </div>
      {error && <ErrorNotice error={error} variant="inline" />}
      {!timeline && !error && <p>Loading…</p>}
      {timeline && (
        <>
          <dl className="timeline-patient facts">
            <dt>Phone</dt>
            <dd className="mono" data-testid="timeline-phone">
              {timeline.phoneNumber}
            </dd>
            <dt>When</dt>
            <dd>
              {formatAppointmentTime(timeline.appointment.appointmentAt, timezone)}
              {timeline.appointment.location ? ` · ${timeline.appointment.location}` : ''}
            </dd>
            <dt>Answer</dt>
            <dd data-testid="timeline-confirmation">
              {confirmationLabel(timeline.appointment.confirmation)}
              {timeline.appointment.confirmedAt && ` · ${formatDateTime(timeline.appointment.confirmedAt, timezone)}`}
            </dd>
          </dl>
          {timeline.appointment.onDoNotCallList && (
            <div className="warning-text" data-testid="timeline-dnc">
              On the do-not-call list: this number is not called again.
            </div>
          )}
          {calls.length === 0 && <p className="muted">No reminder call has been made for this appointment yet.</p>}
          {calls.map(({ attempt, events, callNumber }, index) => (
            <section key={attempt.attemptId} className="timeline-call" data-testid="timeline-call" data-latest={index === 0 ? 'true' : 'false'}>
              <h3>
                {index === 0 ? 'Latest call' : `Call ${callNumber} · ${formatDateTime(attempt.updatedAt, timezone)}`} <StatusChip call={attempt} />
              </h3>
              <p className="muted small">
                {reminderStateLabel(attempt)}
                {attempt.durationSeconds !== null && ` · talk time ${formatDuration(attempt.durationSeconds)}`}
              </p>
              {attempt.errorMessage && <ErrorNotice error={attempt.errorMessage} variant="inline" />}
              {events.length === 0 ? (
                <p className="muted">{attempt.callSid ? 'Nothing reported for this call yet.' : 'This call was not placed.'}</p>
              ) : (
                <ol className="timeline-steps" data-testid="timeline-events">
                  {inSequence(events).map((event) => (
                    <li key={event.id} data-testid="timeline-event" data-status={event.callStatus} data-source={event.source} data-sequence={event.sequenceNumber ?? ''}>
                      <span className="step-time">{formatClock(event.twilioTimestamp ?? event.receivedAt, timezone)}</span>
                      <span>{statusLabel(event.callStatus)}</span>
                    </li>
                  ))}
                </ol>
              )}
              {/* For whoever supports the desk: Twilio's own words, kept out of the staff view until asked for. */}
              <details className="technical" data-testid="call-technical">
                <summary>Technical details</summary>
                <p className="small">
                  {attempt.callSid ? (
                    <>
                      Twilio call ID <span className="mono">{attempt.callSid}</span>
                    </>
                  ) : (
                    'Not placed with Twilio'
                  )}
                </p>
                {events.length > 0 && (
                  <table className="simple-table timeline-table">
                    <thead>
                      <tr>
                        <th scope="col">Time</th>
                        <th scope="col">Status</th>
                        <th scope="col">Reported by</th>
                        <th scope="col">Answered by</th>
                        <th scope="col">Duration</th>
                        <th scope="col">Error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {inSequence(events).map((event) => (
                        <tr key={event.id} data-testid="technical-event">
                          <td>{formatClock(event.twilioTimestamp ?? event.receivedAt, timezone)}</td>
                          <td className="mono">{event.callStatus}</td>
                          <td title={`Source: ${event.source}`}>{sourceLabel(event.source)}</td>
                          <td>{answeredByLabel(event.answeredBy)}</td>
                          <td>{formatDuration(event.durationSeconds)}</td>
                          <td>{event.errorCode ? `Error ${event.errorCode}` : '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </details>
            </section>
          ))}
        </>
      )}
    </aside>
  );
}
