import { useState } from 'react';
import type { ApiError, ExportFormat, FollowUpRow } from '../../../src-main/core/api/contract';
import { useApi, useAppState } from '../api/hooks';
import { finishExport } from '../download';
import { ErrorNotice } from '../errors/ErrorNotice';
import { formatAppointmentTime, formatDateTime } from '../format';
import { plural } from '../status-words';

const WHY: Record<NonNullable<FollowUpRow['notReachedBy']>, string> = {
  busy: 'Not reached: line busy',
  'no-answer': 'Not reached: no answer',
  failed: 'Not reached: call failed',
  'not-placed': 'Not reached: call not placed',
};

function whyLabel(row: FollowUpRow): string {
  if (row.outcome === 'cancelled') return 'Cancelled: needs rescheduling';
  return row.notReachedBy ? WHY[row.notReachedBy] : 'Not reached';
}

/**
 * Who the desk has to phone: patients who cancelled (reschedule) and patients the reminder did not reach, with
 * the full number to dial. Printable (the print stylesheet keeps only this list) and exportable as CSV or Excel.
 */
export function FollowUpList({ rows, scope, title }: { rows: FollowUpRow[]; scope: { batchId: string } | { day: string }; title: string }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function exportAs(format: ExportFormat) {
    setNote(null);
    setError(null);
    const done = finishExport(await api.invoke('results/export-follow-up', { ...scope, format }));
    if ('error' in done) setError(done.error);
    else setNote(done.note);
  }

  return (
    <section className="follow-up" data-testid="follow-up" aria-labelledby="follow-up-heading">
      <div className="panel-head">
        <h2 id="follow-up-heading">
          Needs follow-up <span className="muted">· {plural(rows.length, 'patient')}</span>
        </h2>
      </div>
      <p className="print-only">
        {title} · printed {formatDateTime(new Date().toISOString(), timezone)}
      </p>
      {rows.length === 0 ? (
        <p className="muted" data-testid="follow-up-empty">
          Nobody to call back: every patient was reached or confirmed.
        </p>
      ) : (
        <div className="table-scroll follow-up-scroll">
          <table className="simple-table" data-testid="follow-up-table">
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">Appointment</th>
                <th scope="col">Phone</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.batchId}-${row.appointmentId}`} data-testid="follow-up-row" data-outcome={row.outcome}>
                  <td>{row.name}</td>
                  <td>
                    {formatAppointmentTime(row.appointmentAt, timezone)}
                    {row.location ? ` · ${row.location}` : ''}
                  </td>
                  <td className="phone mono">{row.phoneNumber}</td>
                  <td>{whyLabel(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="button-row no-print">
        <button type="button" className="button" onClick={() => window.print()} disabled={rows.length === 0} data-testid="follow-up-print">
          Print list
        </button>
        <button type="button" className="button" onClick={() => void exportAs('xlsx')} disabled={rows.length === 0} data-testid="follow-up-xlsx">
          Export Excel
        </button>
        <button type="button" className="button" onClick={() => void exportAs('csv')} disabled={rows.length === 0} data-testid="follow-up-csv">
          Export CSV
        </button>
      </div>
      {note && (
        <p className="ok-text" role="status">
          {note}
        </p>
      )}
      {error && <ErrorNotice error={error} variant="inline" />}
    </section>
  );
}
