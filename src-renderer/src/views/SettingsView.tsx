import { useEffect, useState } from 'react';
import type { AppState, EditableSettings, WeekdayName } from '../../../src-main/core/api/contract';
import { useApi, useAppState } from '../api/hooks';
import { LanguagePreviews } from '../components/LanguagePreviews';
import { LeavePractice } from '../components/LeavePractice';
import { describeSettingsError } from '../settings-errors';

const PREVIEW_DELAY_MS = 300;

const WEEKDAYS: [WeekdayName, string][] = [
  ['monday', 'Mon'],
  ['tuesday', 'Tue'],
  ['wednesday', 'Wed'],
  ['thursday', 'Thu'],
  ['friday', 'Fri'],
  ['saturday', 'Sat'],
  ['sunday', 'Sun'],
];

export function SettingsView({ onLeftPractice }: { onLeftPractice: (state: AppState) => void }) {
  const api = useApi();
  const { practiceMode } = useAppState();
  const [saved, setSaved] = useState<EditableSettings | null>(null);
  const [draft, setDraft] = useState<EditableSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [savedNote, setSavedNote] = useState(false);
  const [preview, setPreview] = useState<{ text: string; problems: string[] } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void api.invoke('settings/get', {}).then((result) => {
      if (!result.ok) return setLoadError(result.error.message);
      setSaved(result.value);
      setDraft(result.value);
    });
  }, [api]);

  const template = draft?.messageTemplate;
  useEffect(() => {
    if (template === undefined) return;
    let stale = false;
    // Waits for a pause in typing so each keystroke does not cost a round trip.
    const timer = setTimeout(() => {
      void api.invoke('settings/preview-message', { template }).then((result) => {
        if (stale) return;
        setPreview(result.ok ? result.value : { text: '', problems: [result.error.message] });
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [api, template]);

  if (loadError) return <p className="error-text" role="alert">{loadError}</p>;
  if (!draft || !saved) return <section className="panel">Loading settings…</section>;

  const set = <K extends keyof EditableSettings>(key: K, value: EditableSettings[K]) => {
    setSavedNote(false);
    setDraft({ ...draft, [key]: value });
  };
  const changed = (Object.keys(draft) as (keyof EditableSettings)[]).filter((key) => JSON.stringify(draft[key]) !== JSON.stringify(saved[key]));

  async function save() {
    if (!draft) return;
    setSaving(true);
    setSaveError(null);
    const patch = Object.fromEntries(changed.map((key) => [key, draft[key]])) as Partial<EditableSettings>;
    const result = await api.invoke('settings/update', patch);
    setSaving(false);
    if (!result.ok) return setSaveError(result.error.kind === 'validation' ? describeSettingsError(result.error.message) : result.error.message);
    setSaved(result.value);
    setDraft(result.value);
    setSavedNote(true);
  }

  return (
    <form
      className="panel settings"
      data-testid="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h1>Settings</h1>
      <fieldset>
        <legend>What the call says</legend>
        <label className="field">
          <span>Message</span>
          <textarea rows={5} value={draft.messageTemplate} onChange={(event) => set('messageTemplate', event.target.value)} data-testid="message-template" />
          <small>
            Use {'{first_name}'}, {'{name}'}, {'{appointment_date}'}, {'{appointment_time}'}, {'{location}'} or {'{location_text}'} (“ at the place”, or nothing); they are filled in for each patient. Say as little as needed: anyone may pick up the phone.
          </small>
        </label>
        <div className="speech-preview" data-testid="message-preview" aria-live="polite">
          <div className="muted small">What a patient hears (example):</div>
          <p>“{preview?.text ?? '…'}”</p>
          {preview?.problems.map((problem) => (
            <p key={problem} className="warning-text">
              {problem}
            </p>
          ))}
        </div>
        <div className="muted small">Each language, as saved (keys: 1 confirms, 2 cancels, 3 repeats, 9 stops reminder calls):</div>
        <LanguagePreviews refreshKey={saved.messageTemplate} />
      </fieldset>
      <fieldset className="grid-2">
        <legend>How calls are placed</legend>
        <label className="field">
          <span>Calls per second</span>
          <input type="number" min={0.1} max={100} step={0.1} value={draft.callsPerSecond} onChange={(event) => set('callsPerSecond', Number(event.target.value))} />
          <small>Twilio allows 1 per second unless your account was raised.</small>
        </label>
        <label className="field">
          <span>Retries of patients not reached</span>
          <input type="number" min={0} max={10} step={1} value={draft.maxRetries} onChange={(event) => set('maxRetries', Number(event.target.value))} data-testid="max-retries" />
          <small>A busy line, no answer or a failed call is tried again this many times, inside calling hours and never after the appointment. Someone who answered is never called again.</small>
        </label>
        <label className="field">
          <span>Wait before a retry (seconds)</span>
          <input type="number" min={0} step={1} value={draft.retryDelaySeconds} onChange={(event) => set('retryDelaySeconds', Number(event.target.value))} />
        </label>
        <label className="field">
          <span>Ring for at most (seconds)</span>
          <input type="number" min={5} max={600} step={1} value={draft.callTimeoutSeconds} onChange={(event) => set('callTimeoutSeconds', Number(event.target.value))} />
        </label>
        <label className="field checkbox">
          <input type="checkbox" checked={draft.detectVoicemail} onChange={(event) => set('detectVoicemail', event.target.checked)} />
          <span>Detect voicemail (answering machines get the voicemail message after the beep)</span>
        </label>
        <label className="field">
          <span>When a machine answers</span>
          <select value={draft.voicemailAction} onChange={(event) => set('voicemailAction', event.target.value as EditableSettings['voicemailAction'])} data-testid="voicemail-action">
            <option value="leave_message">Leave the voicemail message (counts as reached)</option>
            <option value="retry">Hang up and try again later</option>
            <option value="hang_up">Hang up</option>
          </select>
        </label>
      </fieldset>
      <fieldset className="grid-2">
        <legend>When calls may be made</legend>
        <label className="field">
          <span>Not before</span>
          <input type="time" value={draft.callingHours.start} onChange={(event) => set('callingHours', { ...draft.callingHours, start: event.target.value })} />
        </label>
        <label className="field">
          <span>Not after</span>
          <input type="time" value={draft.callingHours.end} onChange={(event) => set('callingHours', { ...draft.callingHours, end: event.target.value })} />
        </label>
        <fieldset className="field days" data-testid="calling-days">
          <legend>Calling days</legend>
          {WEEKDAYS.map(([day, label]) => (
            <label key={day} className="checkbox">
              <input
                type="checkbox"
                checked={draft.callingDays.includes(day)}
                onChange={(event) => set('callingDays', event.target.checked ? [...draft.callingDays, day] : draft.callingDays.filter((d) => d !== day))}
              />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>Clinic time zone</span>
          <input type="text" value={draft.timezone} onChange={(event) => set('timezone', event.target.value)} placeholder="America/New_York" />
        </label>
        <label className="field">
          <span>Country for local numbers</span>
          <input type="text" maxLength={2} value={draft.defaultRegion} onChange={(event) => set('defaultRegion', event.target.value.toUpperCase())} placeholder="US" />
        </label>
      </fieldset>
      {saveError && (
        <p className="error-banner" role="alert" data-testid="settings-error">
          {saveError}
        </p>
      )}
      {savedNote && <p className="ok-text" role="status">Settings saved.</p>}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={saving || changed.length === 0}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" className="button ghost" disabled={changed.length === 0} onClick={() => setDraft(saved)}>
          Undo changes
        </button>
      </div>
      {practiceMode && (
        <fieldset>
          <legend>Practice mode</legend>
          <p>No real calls are made. Connect your clinic’s Twilio account to start sending real reminders.</p>
          <LeavePractice onLeft={onLeftPractice} />
        </fieldset>
      )}
    </form>
  );
}
