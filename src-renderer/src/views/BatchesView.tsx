import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, BatchProgress, BatchView, Envelope, ExportFormat, ResultsView } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { batchHeadline, batchNumbers, batchProgressLine, outcomeEntries } from '../batch-words';
import { BatchCounts } from '../components/BatchCounts';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FollowUpList } from '../components/FollowUpList';
import { OutcomeChart } from '../components/OutcomeChart';
import { OutcomeTiles } from '../components/OutcomeTiles';
import { ProgressBar } from '../components/ProgressBar';
import { finishExport } from '../download';
import { ErrorNotice } from '../errors/ErrorNotice';
import { formatDateTime } from '../format';
import { plural } from '../status-words';

export const STATE_LABELS: Record<BatchView['state'], string> = {
  running: 'Calling',
  paused: 'Paused',
  cancelled: 'Cancelled',
  completed: 'Finished',
  timed_out: 'Finished (some calls never reported back)',
};

/** Results are re-read at most this often while a batch is calling (each push would otherwise cost a query). */
const RESULTS_REFRESH_MS = 1_500;

export function BatchesView({ focusBatchId }: { focusBatchId: string | null }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [batches, setBatches] = useState<BatchView[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(focusBatchId);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [results, setResults] = useState<{ batchId: string; view: ResultsView } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const resultsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const applyList = useCallback((result: Envelope<BatchView[]>) => {
    if (!result.ok) return setError(result.error);
    const newestFirst = [...result.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    setBatches(newestFirst);
    setChosen((current) => current ?? newestFirst[0]?.id ?? null);
  }, []);
  const loadList = useCallback(() => void api.invoke('batches/list', {}).then(applyList), [api, applyList]);

  // A late answer for a batch no longer shown must not replace the shown batch's results.
  const shownBatch = useRef(chosen);
  useEffect(() => {
    shownBatch.current = chosen;
  });
  const loadResults = useCallback(
    (batchId: string) => {
      void api.invoke('results/get', { batchId }).then((result) => {
        if (result.ok && shownBatch.current === batchId) setResults({ batchId, view: result.value });
      });
    },
    [api],
  );
  const scheduleResults = (batchId: string) => {
    if (resultsTimer.current) return;
    resultsTimer.current = setTimeout(() => {
      resultsTimer.current = null;
      loadResults(batchId);
    }, RESULTS_REFRESH_MS);
  };
  useEffect(
    () => () => {
      if (resultsTimer.current) clearTimeout(resultsTimer.current);
    },
    [],
  );

  useEffect(() => {
    void api.invoke('batches/list', {}).then(applyList);
  }, [api, applyList]);

  useEffect(() => {
    if (!chosen) return;
    let stale = false;
    void api.invoke('batches/progress', { batchId: chosen }).then((result) => {
      if (stale) return;
      if (result.ok) setProgress(result.value);
      else setError(result.error);
    });
    void api.invoke('results/get', { batchId: chosen }).then((result) => {
      if (!stale && result.ok) setResults({ batchId: chosen, view: result.value });
    });
    return () => {
      stale = true;
    };
  }, [api, chosen]);

  useResync(() => {
    loadList();
    if (!chosen) return;
    void api.invoke('batches/progress', { batchId: chosen }).then((result) => {
      if (result.ok) setProgress((current) => (current && current.batch.id !== result.value.batch.id ? current : result.value));
    });
    loadResults(chosen);
  });

  useApiEvent('batch-progress', (update) => {
    if (update.batch.id === chosen) {
      setProgress(update);
      // The last word on a batch is read at once; while it calls, at most every RESULTS_REFRESH_MS.
      if (update.phase === 'done') loadResults(update.batch.id);
      else scheduleResults(update.batch.id);
    }
    setBatches((list) => {
      if (!list) return list;
      if (!list.some((b) => b.id === update.batch.id)) {
        loadList();
        return list;
      }
      return list.map((b) => (b.id === update.batch.id ? update.batch : b));
    });
  });

  async function control(operation: 'batches/pause' | 'batches/resume' | 'batches/cancel') {
    if (!progress) return;
    setBusy(true);
    setError(null);
    const result = await api.invoke(operation, { batchId: progress.batch.id });
    setBusy(false);
    setConfirmCancel(false);
    if (result.ok) setProgress(result.value);
    else setError(result.error);
  }

  async function exportBatch(format: ExportFormat) {
    if (!progress) return;
    setError(null);
    setExportNote(null);
    const done = finishExport(await api.invoke('batches/export', { batchId: progress.batch.id, format }));
    if ('error' in done) setError(done.error);
    else setExportNote(done.note);
  }

  if (batches !== null && batches.length === 0) {
    return (
      <section className="panel" data-testid="batches-empty">
        <h1>Reminder batches</h1>
        <p>No reminder calls have been made yet. On the Appointments screen, tick the patients to call (or pick a day) and press “Call selected”.</p>
      </section>
    );
  }

  const state = progress?.batch.state;
  const phase = progress?.phase;
  const stillDialling = phase === 'calling' || phase === 'paused';
  const numbers = progress ? batchNumbers(progress) : null;

  return (
    <div className="batches">
      <aside className="batch-list" aria-label="Batches">
        <h2>Batches</h2>
        <ul>
          {(batches ?? []).map((b) => (
            <li key={b.id}>
              <button
                type="button"
                className={`batch-item${b.id === chosen ? ' active' : ''}`}
                onClick={() => {
                  setExportNote(null);
                  setChosen(b.id);
                }}
                aria-current={b.id === chosen ? 'true' : undefined}
                data-testid="batch-item"
              >
                <span>{b.label}</span>
                <span className="muted small">
                  {STATE_LABELS[b.state]} · started {formatDateTime(b.createdAt, timezone)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      {progress && numbers && (
        <section className="panel batch-detail" data-testid="batch-detail" data-state={progress.batch.state} data-phase={progress.phase}>
          <div className="panel-head">
            <h1>
              {progress.batch.label}{' '}
              <span className={`state-badge state-${progress.batch.state}`} data-testid="batch-state">
                {STATE_LABELS[progress.batch.state]}
              </span>
            </h1>
          </div>
          <p className="muted small">
            Started {formatDateTime(progress.batch.createdAt, timezone)}
            {progress.batch.mode === 'practice' ? ' · practice (simulated)' : ''}
          </p>
          {/* Once nothing is live the state badge says it all. */}
          {phase !== 'done' && (
            <p className="big-number" data-testid="batch-headline">
              {batchHeadline(progress)}
            </p>
          )}
          <p data-testid="batch-finished">{batchProgressLine(progress)}</p>
          <ProgressBar done={numbers.ended} total={numbers.called} label="Batch progress" />
          {progress.openCalls > 0 && state === 'timed_out' && (
            <p className="warning-text">
              {plural(progress.openCalls, 'call')} never reported a final status before the batch stopped waiting. Their last known status is in the export.
            </p>
          )}
          <BatchCounts progress={progress} />
          <div className="button-row">
            {state === 'running' && (
              <button type="button" className="button" disabled={busy} onClick={() => void control('batches/pause')}>
                Pause
              </button>
            )}
            {state === 'paused' && (
              <button type="button" className="button primary" disabled={busy} onClick={() => void control('batches/resume')}>
                Resume
              </button>
            )}
            {stillDialling && (
              <button type="button" className="button danger" disabled={busy} onClick={() => setConfirmCancel(true)} data-testid="cancel-batch">
                Cancel remaining calls
              </button>
            )}
            <button type="button" className="button" onClick={() => void exportBatch('xlsx')} data-testid="export-xlsx">
              Export Excel
            </button>
            <button type="button" className="button" onClick={() => void exportBatch('csv')} data-testid="export-csv">
              Export CSV
            </button>
          </div>
          {exportNote && (
            <p className="ok-text" role="status">
              {exportNote}
            </p>
          )}
          {error && <ErrorNotice error={error} variant="inline" />}
          {results?.batchId === progress.batch.id && (
            <div className="outcomes">
              <h2>Results</h2>
              <OutcomeTiles outcomes={results.view.outcomes} />
              <OutcomeChart entries={outcomeEntries(results.view.outcomes)} />
              <FollowUpList rows={results.view.followUp} scope={{ batchId: progress.batch.id }} title={progress.batch.label} />
            </div>
          )}
        </section>
      )}
      {!progress && error && <ErrorNotice error={error} />}
      {confirmCancel && progress && numbers && (
        <ConfirmDialog
          title="Cancel the remaining calls?"
          confirmLabel="Yes, cancel the remaining calls"
          cancelLabel="Keep calling"
          tone="danger"
          busy={busy}
          onConfirm={() => void control('batches/cancel')}
          onCancel={() => setConfirmCancel(false)}
          testId="cancel-confirm"
        >
          <p>
            {numbers.waiting > 0 ? `${plural(numbers.waiting, 'patient')} not dialled yet will not be called.` : 'Every patient in this batch has already been dialled.'}
            {numbers.live > 0 && ` ${plural(numbers.live, 'call')} already ringing or on the line will carry on until ${numbers.live === 1 ? 'it ends' : 'they end'}.`}
          </p>
          <p className="muted">You can start a new batch for them later; patients already reminded are not called again.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
