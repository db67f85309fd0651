import { useState } from 'react';
import type { ImportSummary } from '../../../src-main/core/api/contract';
import { useApi } from '../api/hooks';

/**
 * The practice wizard's offer of the sample appointments the app ships (`practice/load-sample`), so a clinic
 * trying the app has a board of made-up patients to call through the simulator. The core refuses it outside
 * practice mode: the sample's numbers must never be really dialled.
 */
export function PracticeSample() {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    setBusy(true);
    setError(null);
    const answer = await api.invoke('practice/load-sample', {});
    setBusy(false);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error.message);
  }

  const added = result ? result.inserted + result.updated : 0;
  return (
    <div className="practice-sample" data-testid="practice-sample">
      <h3>Practice appointments</h3>
      <p>Load eight made-up patients, so you can start a practice batch on the appointment board. No phone rings.</p>
      <button type="button" className="button" onClick={() => void load()} disabled={busy} data-testid="load-sample">
        {busy ? 'Loading…' : result ? 'Load them again' : 'Load the sample appointments'}
      </button>
      {result && (
        <p className="ok-text" role="status" data-testid="sample-loaded">
          {added > 0
            ? `${added} sample appointment${added === 1 ? '' : 's'} added to the board.`
            : `The ${result.unchanged} sample appointments are already on the board.`}
        </p>
      )}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
