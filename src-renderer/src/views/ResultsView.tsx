import { useCallback, useEffect, useState } from 'react';
import type { ApiError, ResultsView as Results } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useResync } from '../api/hooks';
import { outcomeEntries } from '../batch-words';
import { FollowUpList } from '../components/FollowUpList';
import { OutcomeChart } from '../components/OutcomeChart';
import { OutcomeTiles } from '../components/OutcomeTiles';
import { ErrorNotice } from '../errors/ErrorNotice';
import { formatDayHeading } from '../format';
import { plural } from '../status-words';

/** Results of one appointment day, whichever batches called it: what the desk checks at the end of the day. */
export function ResultsView({ onOpenBatch }: { onOpenBatch: (batchId: string) => void }) {
  const api = useApi();
  const [days, setDays] = useState<string[] | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  /** The days reminders were made for, newest first (from the batches' appointment days). */
  const loadDays = useCallback(() => {
    void api.invoke('batches/list', {}).then((result) => {
      if (!result.ok) return setError(result.error);
      const all = [...new Set(result.value.flatMap((b) => b.days))].sort().reverse();
      setDays(all);
      setDay((current) => current ?? all[0] ?? null);
    });
  }, [api]);

  const loadResults = useCallback(() => {
    if (!day) return;
    void api.invoke('results/get', { day }).then((result) => {
      if (result.ok) {
        setResults(result.value);
        setError(null);
      } else setError(result.error);
    });
  }, [api, day]);

  useEffect(loadDays, [loadDays]);
  useEffect(loadResults, [loadResults]);
  useResync(() => {
    loadDays();
    loadResults();
  });
  useApiEvent('batch-progress', (progress) => {
    if (day && progress.batch.days.includes(day) && progress.phase !== 'calling') loadResults();
  });

  if (days !== null && days.length === 0) {
    return (
      <section className="panel" data-testid="results-empty">
        <h1>Results</h1>
        <p>No reminder calls have been made yet. Results appear here for each appointment day once its patients have been called.</p>
      </section>
    );
  }

  return (
    <section className="panel results" data-testid="results-view">
      <div className="panel-head no-print">
        <h1>Results</h1>
        <label className="field">
          <span>Appointment day</span>
          <select value={day ?? ''} onChange={(event) => setDay(event.target.value)} data-testid="results-day">
            {(days ?? []).map((d) => (
              <option key={d} value={d}>
                {formatDayHeading(d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorNotice error={error} />}
      {results && day && (
        <>
          <h2 className="print-only">Reminder results · {formatDayHeading(day)}</h2>
          <p className="muted">
            {formatDayHeading(day)}
            {results.inProgress > 0 && ` · ${plural(results.inProgress, 'call')} still in progress`}
            {results.notCalled > 0 && ` · ${plural(results.notCalled, 'patient')} not called`}
          </p>
          <OutcomeTiles outcomes={results.outcomes} />
          <div className="no-print">
            <OutcomeChart entries={outcomeEntries(results.outcomes)} />
          </div>
          <FollowUpList rows={results.followUp} scope={{ day }} title={`Reminder results · ${formatDayHeading(day)}`} />
          {results.batches.length > 0 && (
            <p className="no-print muted">
              Batches for this day:{' '}
              {results.batches.map((b, index) => (
                <span key={b.id}>
                  {index > 0 && ', '}
                  <button type="button" className="link-button" onClick={() => onOpenBatch(b.id)}>
                    {b.label}
                  </button>
                </span>
              ))}
            </p>
          )}
        </>
      )}
    </section>
  );
}
