import { useCallback, useEffect, useState } from 'react';
import type { Batch, BatchProgress, Envelope } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { BatchCounts } from '../components/BatchCounts';
import { OutcomeChart } from '../components/OutcomeChart';
import { ProgressBar } from '../components/ProgressBar';
import { formatDateTime, formatEta } from '../format';

const STATE_LABELS: Record<Batch['state'], string> = {
  running: 'Calling',
  paused: 'Paused',
  cancelled: 'Cancelled',
  completed: 'Finished',
  timed_out: 'Finished (some calls never reported back)',
};

export function BatchesView({ focusBatchId }: { focusBatchId: string | null }) {
  const api = useApi();
  const { timezone } = useAppState();
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(focusBatchId);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);

  const applyList = useCallback((result: Envelope<Batch[]>) => {
    if (!result.ok) return setError(result.error.message);
    const newestFirst = [...result.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    setBatches(newestFirst);
    setChosen((current) => current ?? newestFirst[0]?.id ?? null);
  }, []);
  const loadList = useCallback(() => void api.invoke('batches/list', {}).then(applyList), [api, applyList]);

  useEffect(() => {
    void api.invoke('batches/list', {}).then(applyList);
  }, [api, applyList]);

  useEffect(() => {
    if (!chosen) return;
    let stale = false;
    void api.invoke('batches/progress', { batchId: chosen }).then((result) => {
      if (stale) return;
      if (result.ok) setProgress(result.value);
      else setError(result.error.message);
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
  });

  useApiEvent('batch-progress', (update) => {
    if (update.batch.id === chosen) setProgress(update);
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
    if (result.ok) setProgress(result.value);
    else setError(result.error.message);
  }

  async function exportCsv() {
    if (!progress) return;
    setError(null);
    setExportNote(null);
    const result = await api.invoke('batches/export', { batchId: progress.batch.id });
    if (!result.ok) return setError(result.error.message);
    if (result.value.downloadUrl) {
      // The browser preview streams the file from its own loopback server as an attachment.
      const link = document.createElement('a');
      link.href = result.value.downloadUrl;
      link.download = `reminder-batch-${progress.batch.id}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setExportNote('The CSV file is downloading.');
    } else if (result.value.savedTo) setExportNote(`Saved to ${result.value.savedTo}`);
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
  const done = state !== undefined && state !== 'running' && state !== 'paused';

  return (
    <div className="batches">
      <aside className="batch-list" aria-label="Batches">
        <h2>Batches</h2>
        <ul>
          {(batches ?? []).map((b) => (
            <li key={b.id}>
              <button type="button" className={`batch-item${b.id === chosen ? ' active' : ''}`} onClick={() => {
                  setExportNote(null);
                  setChosen(b.id);
                }} aria-current={b.id === chosen ? 'true' : undefined}>
                <span>{formatDateTime(b.createdAt, timezone)}</span>
                <span className="muted small">
                  {b.total} calls · {STATE_LABELS[b.state]}
                  {b.simulated ? ' · simulated' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      {progress && (
        <section className="panel batch-detail" data-testid="batch-detail" data-state={progress.batch.state}>
          <div className="panel-head">
            <h1>
              Batch of {formatDateTime(progress.batch.createdAt, timezone)} <span className={`state-badge state-${progress.batch.state}`} data-testid="batch-state">{STATE_LABELS[progress.batch.state]}</span>
            </h1>
          </div>
          <p className="big-number" data-testid="batch-finished">
            {progress.finished} of {progress.total} calls finished
          </p>
          <ProgressBar done={progress.finished} total={progress.total} label="Batch progress" />
          {!done && progress.etaSeconds !== null && <p className="muted">{formatEta(progress.etaSeconds)}</p>}
          {progress.openCalls > 0 && done && (
            <p className="warning-text">{progress.openCalls} calls never reported a final status before the batch stopped waiting. Their last known status is in the export.</p>
          )}
          <BatchCounts counts={progress.counts} />
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
            {!done && (
              <button type="button" className="button danger" disabled={busy} onClick={() => void control('batches/cancel')}>
                Cancel remaining calls
              </button>
            )}
            <button type="button" className="button primary" onClick={() => void exportCsv()} data-testid="export-csv">
              Export CSV
            </button>
          </div>
          {exportNote && <p className="ok-text" role="status">{exportNote}</p>}
          {error && <p className="error-text" role="alert">{error}</p>}
          {done && (
            <div className="outcomes">
              <h2>Outcomes</h2>
              <OutcomeChart counts={progress.counts} />
            </div>
          )}
        </section>
      )}
      {!progress && error && <p className="error-text" role="alert">{error}</p>}
    </div>
  );
}
