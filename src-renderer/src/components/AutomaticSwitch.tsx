import { useCallback, useEffect, useState } from 'react';
import type { AutomaticRemindersView } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState, useResync } from '../api/hooks';
import { formatNextRun } from '../format';

/**
 * The "Automatic reminders" switch and what it will do next ("Next: 12 reminders at 2:00 PM"). Turning it on for
 * real patients is a decision staff confirm: from then on the app calls patients on its own.
 */
export function AutomaticSwitch() {
  const api = useApi();
  const { timezone, practiceMode } = useAppState();
  const [view, setView] = useState<AutomaticRemindersView | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    void api.invoke('automatic/get', {}).then((result) => (result.ok ? setView(result.value) : setError(result.error.message)));
  }, [api]);
  useEffect(load, [load, practiceMode]);
  useResync(load);
  // A batch started or finished, or appointments were imported: "Next" may have changed.
  useApiEvent('appointments-changed', load);

  async function set(enabled: boolean) {
    setBusy(true);
    setError(null);
    const result = await api.invoke('automatic/set', { enabled });
    setBusy(false);
    setConfirming(false);
    if (result.ok) setView(result.value);
    else setError(result.error.message);
  }

  if (!view) return null;
  const next = formatNextRun(view.next, timezone);
  return (
    <div className={`automatic-bar${view.enabled ? ' on' : ''}`} data-testid="automatic-bar">
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={view.enabled}
          checked={view.enabled}
          disabled={busy || (!view.available && !view.enabled)}
          data-testid="automatic-switch"
          onChange={(event) => {
            if (!event.target.checked) return void set(false);
            // Practice calls reach nobody; real ones do: ask first.
            if (view.practice) return void set(true);
            setConfirming(true);
          }}
        />
        <span className="switch-track" aria-hidden="true" />
        <span className="switch-label">Automatic reminders {view.enabled ? 'on' : 'off'}</span>
      </label>
      <span className="automatic-next" data-testid="automatic-next">
        {view.enabled ? next : !view.available ? (view.unavailableReason ?? 'Set up your Twilio account to turn this on.') : `Off. When on: ${next.charAt(0).toLowerCase()}${next.slice(1)}`}
      </span>
      {confirming && (
        <div className="automatic-confirm" role="alertdialog" aria-label="Turn on automatic reminders" data-testid="automatic-confirm">
          <p>
            <strong>Reminder Desk will call patients on its own</strong>, {next.charAt(0).toLowerCase()}
            {next.slice(1)}, inside calling hours, as long as this computer is on and the app is open or in the tray.
          </p>
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => void set(true)} data-testid="automatic-confirm-on">
              Turn on
            </button>
            <button type="button" className="button ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
