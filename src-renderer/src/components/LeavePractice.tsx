import { useState } from 'react';
import type { ApiError, AppState, PracticeDataSummary } from '../../../src-main/core/api/contract';
import { useApi } from '../api/hooks';
import { ErrorNotice } from '../errors/ErrorNotice';
import { plural } from '../status-words';

/**
 * Practice mode only: the way out to real calls, behind a confirmation that says what happens to the practice
 * data (kept apart, never mixed with real work, or deleted) before anything changes.
 */
export function LeavePractice({ onLeft }: { onLeft: (state: AppState) => void }) {
  const api = useApi();
  const [summary, setSummary] = useState<PracticeDataSummary | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [practiceData, setPracticeData] = useState<'keep' | 'delete'>('keep');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function ask() {
    setError(null);
    setConfirming(true);
    const result = await api.invoke('setup/practice-data', {});
    if (result.ok) setSummary(result.value);
  }

  async function leave() {
    setBusy(true);
    setError(null);
    const result = await api.invoke('setup/leave-practice', { practiceData });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    onLeft(result.value);
  }

  const what = summary ? `${plural(summary.appointments, 'practice appointment')}, ${plural(summary.batches, 'batch', 'batches')} and ${plural(summary.calls, 'call')}` : 'The practice appointments, batches and calls';

  return (
    <div className="leave-practice" data-testid="leave-practice">
      {!confirming ? (
        <button type="button" className="button" onClick={() => void ask()} data-testid="leave-practice-button">
          Connect a real Twilio account
        </button>
      ) : (
        <div className="result-box" role="group" aria-label="Leave practice mode">
          <strong>Switch to real calls?</strong>
          <p>
            Setup opens again for your Twilio account, caller number and call updates. From then on reminder calls ring real patients. You start from your real
            appointment list: practice data never appears in real work.
          </p>
          <p data-testid="practice-data-summary">{what}:</p>
          <div className="radio-list">
            <label className="radio">
              <input type="radio" name="practice-data" checked={practiceData === 'keep'} onChange={() => setPracticeData('keep')} data-testid="practice-keep" />
              <span>Keep them apart, for practising again later</span>
            </label>
            <label className="radio">
              <input type="radio" name="practice-data" checked={practiceData === 'delete'} onChange={() => setPracticeData('delete')} data-testid="practice-delete" />
              <span>Delete them</span>
            </label>
          </div>
          <div className="button-row">
            <button type="button" className="button primary" disabled={busy} onClick={() => void leave()} data-testid="leave-practice-confirm">
              {busy ? 'Switching…' : 'Yes, set up my Twilio account'}
            </button>
            <button type="button" className="button ghost" disabled={busy} onClick={() => setConfirming(false)}>
              Stay in practice mode
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} variant="inline" />}
    </div>
  );
}
