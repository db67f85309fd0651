import { useState } from 'react';
import type { AppState } from '../../../src-main/core/api/contract';
import { useApi } from '../api/hooks';

/** Practice mode only: the way out to real calls, behind a confirmation that says what happens to practice data. */
export function LeavePractice({ onLeft }: { onLeft: (state: AppState) => void }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function leave() {
    setBusy(true);
    setError(null);
    const result = await api.invoke('setup/leave-practice', {});
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onLeft(result.value);
  }

  return (
    <div className="leave-practice" data-testid="leave-practice">
      {!confirming ? (
        <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="leave-practice-button">
          Connect a real Twilio account
        </button>
      ) : (
        <div className="result-box" role="group" aria-label="Leave practice mode">
          <strong>Switch to real calls?</strong>
          <p>
            Setup opens again for your Twilio account, caller number and call updates. From then on reminder calls ring real patients. Practice batches stay in the
            batch history, marked “simulated”.
          </p>
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
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
