import { useCallback, useEffect, useState } from 'react';
import type { Envelope, TimelineEvent, TimelineView } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { StatusChip } from '../components/StatusChip';
import { statusLabel } from '../../../src-main/core/vocabulary/status-labels';
import { answeredByLabel, confirmationLabel, formatAppointmentTime, formatClock, formatDateTime, formatDuration, sourceLabel } from '../format';


/** Callbacks carry Twilio's SequenceNumber; poll and reconcile snapshots have none and sort by arrival. */
function inSequence(events: TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => {
    const sa = a.sequenceNumber ?? Number.POSITIVE_INFINITY;
    const sb = b.sequenceNumber ?? Number.POSITIVE_INFINITY;
    if (sa !== sb) return sa - sb;
    return a.receivedAt.localeCompare(b.receivedAt) || a.id - b.id;
  });
}

export function TimelinePanel({ appointmentId, onClose }: { appointmentId: number; onClose: () => void }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [timeline, setTimeline] = useState<TimelineView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const apply = useCallback((result: Envelope<TimelineView>) => {
    if (result.ok) {
      setTimeline(result.value);
      setError(null);
    } else setError(result.error.message);
  }, []);

  useEffect(() => {
    let stale = false;
    void api.invoke('appointments/timeline', { appointmentId }).then((result) => !stale && apply(result));
    return () => {
      stale = true;
    };
  }, [api, appointmentId, apply]);
  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [onClose]);
  useApiEvent('call-updated', (payload) => {
    if (payload.appointmentId === appointmentId) void api.invoke('appointments/timeline', { appointmentId }).then(apply);
  });
  useResync(() => void api.invoke('appointments/timeline', { appointmentId }).then(apply));

  return (
    <aside className="timeline-panel" data-testid="timeline-panel" aria-label="Call timeline">
      <div className="panel-head">
        <h2>Call timeline</h2>
        <button type="button" className="button ghost" onClick={onClose} aria-label="Close the timeline">
          Close
        </button>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {!timeline && !error && <p>Loading…</p>}
      {timeline && (
        <>
          <div className="timeline-patient">
            <div className="timeline-name">{timeline.appointment.name}</div>
            <div>{timeline.appointment.maskedPhone}</div>
            <div>{formatAppointmentTime(timeline.appointment.appointmentAt, timezone)}{timeline.appointment.location ? ` · ${timeline.appointment.location}` : ''}</div>
            <div data-testid="timeline-confirmation">
              Answer: {confirmationLabel(timeline.appointment.confirmation)}
              {timeline.appointment.confirmedAt && ` · ${formatDateTime(timeline.appointment.confirmedAt, timezone)}`}
            </div>
            {timeline.appointment.onDoNotCallList && (
              <div className="warning-text" data-testid="timeline-dnc">
                On the do-not-call list: this number is not called again.
              </div>
            )}
          </div>
          {timeline.calls.length === 0 && <p className="muted">No reminder call has been made for this appointment yet.</p>}
          {timeline.calls.map(({ attempt, events }, index) => (
            <section key={attempt.attemptId} className="timeline-call" data-testid="timeline-call">
              <h3>
                Call {index + 1} <StatusChip call={attempt} />
              </h3>
              <p className="muted small">
                {attempt.durationSeconds !== null && `Talk time ${formatDuration(attempt.durationSeconds)} · `}
                {attempt.callSid ? (
                  <>
                    Twilio call ID <span className="mono">{attempt.callSid}</span>
                  </>
                ) : (
                  'Not placed with Twilio'
                )}
              </p>
              {attempt.errorMessage && <p className="error-text">{attempt.errorMessage}</p>}
              {events.length === 0 ? (
                <p className="muted">Twilio has not reported anything for this call yet.</p>
              ) : (
                <table className="simple-table timeline-table" data-testid="timeline-events">
                  <thead>
                    <tr>
                      <th scope="col">Step</th>
                      <th scope="col">Time</th>
                      <th scope="col">Status</th>
                      <th scope="col">Source</th>
                      <th scope="col">Answered by</th>
                      <th scope="col">Duration</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {inSequence(events).map((event, step) => (
                      // Steps count from 1 on screen; Twilio's SequenceNumber (from 0) stays on the row for support.
                      <tr key={event.id} data-testid="timeline-event" data-status={event.callStatus} data-source={event.source} data-sequence={event.sequenceNumber ?? ''}>
                        <td>{step + 1}</td>
                        <td>{formatClock(event.twilioTimestamp ?? event.receivedAt, timezone)}</td>
                        <td>{statusLabel(event.callStatus)}</td>
                        <td title={`Source: ${event.source}`}>{sourceLabel(event.source)}</td>
                        <td>{answeredByLabel(event.answeredBy)}</td>
                        <td>{formatDuration(event.durationSeconds)}</td>
                        <td>{event.errorCode ? `Error ${event.errorCode}` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </>
      )}
    </aside>
  );
}
