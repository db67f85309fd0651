import { useEffect, useMemo, useState } from 'react';
import type { AppState, EditableSettings, WeekdayName } from '../../../src-main/core/api/contract';
import { useApi, useAppState } from '../api/hooks';
import { LanguagePreviews } from '../components/LanguagePreviews';
import { LeavePractice } from '../components/LeavePractice';
import { ErrorNotice } from '../errors/ErrorNotice';
import { NUMBER_FIELDS, checkNumberField, timeZoneChoices, type NumberField } from '../settings-fields';
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
  const [preview, setPreview] = useState<{ text: string; problems: string[]; keypadPrompt?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  /** What is typed in each number box, kept as text: an emptied box is a problem to show, not a 0 to save. */
  const [numberText, setNumberText] = useState<Partial<Record<NumberField, string>>>({});
  const zones = useMemo(() => timeZoneChoices(draft?.timezone ?? ''), [draft?.timezone]);

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

  if (loadError) return <ErrorNotice error={loadError} />;
  if (!draft || !saved) return <section className="panel">Loading settings…</section>;

  const set = <K extends keyof EditableSettings>(key: K, value: EditableSettings[K]) => {
    setSavedNote(false);
    // The refusal was about the values as they were; once staff change one it no longer describes the form.
    setSaveError(null);
    setDraft({ ...draft, [key]: value });
  };
  const setNumber = (key: NumberField, text: string) => {
    setNumberText((current) => ({ ...current, [key]: text }));
    const problem = checkNumberField(key, text);
    if (problem === null) set(key, Number(text));
    else {
      setSavedNote(false);
      setSaveError(null);
    }
  };
  const numberProblems = NUMBER_FIELDS.map((key) => [key, numberText[key] === undefined ? null : checkNumberField(key, numberText[key])] as const).filter(
    (entry): entry is readonly [NumberField, string] => entry[1] !== null,
  );
  const problemFor = (key: NumberField) => numberProblems.find(([k]) => k === key)?.[1] ?? null;
  const numberValue = (key: NumberField) => numberText[key] ?? String(draft[key]);
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
    setNumberText({});
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
          <p>
            “{preview?.text ?? '…'}”
            {preview?.keypadPrompt && (
              <>
                {' '}
                <span data-testid="keypad-prompt">“{preview.keypadPrompt}”</span>
              </>
            )}
          </p>
          {preview?.keypadPrompt && <p className="muted small">The patient’s key press (1 or 2) shows as Confirmed or Cancelled on the Appointments screen.</p>}
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
          <NumberInput field="callsPerSecond" step={0.1} value={numberValue('callsPerSecond')} problem={problemFor('callsPerSecond')} onChange={setNumber} />
          <small>Twilio allows 1 per second unless your account was raised.</small>
        </label>
        <label className="field">
          <span>Retries of patients not reached</span>
          <NumberInput field="maxRetries" step={1} value={numberValue('maxRetries')} problem={problemFor('maxRetries')} onChange={setNumber} testId="max-retries" />
          <small>A busy line, no answer or a failed call is tried again this many times, inside calling hours and never after the appointment. Someone who answered is never called again.</small>
        </label>
        <label className="field">
          <span>Wait before a retry (seconds)</span>
          <NumberInput field="retryDelaySeconds" step={1} value={numberValue('retryDelaySeconds')} problem={problemFor('retryDelaySeconds')} onChange={setNumber} />
        </label>
        <label className="field">
          <span>Ring for at most (seconds)</span>
          <NumberInput field="callTimeoutSeconds" step={1} value={numberValue('callTimeoutSeconds')} problem={problemFor('callTimeoutSeconds')} onChange={setNumber} />
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
          <select value={draft.timezone} onChange={(event) => set('timezone', event.target.value)} data-testid="timezone">
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Country for local numbers</span>
          <input type="text" maxLength={2} value={draft.defaultRegion} onChange={(event) => set('defaultRegion', event.target.value.toUpperCase())} placeholder="US" />
        </label>
      </fieldset>
      {saveError && <ErrorNotice error={saveError} testId="settings-error" />}
      {numberProblems.length > 0 && (
        <p className="warning-text" data-testid="settings-fix-first">
          Fix the highlighted {numberProblems.length === 1 ? 'box' : 'boxes'} before saving.
        </p>
      )}
      {savedNote && <p className="ok-text" role="status">Settings saved.</p>}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={saving || numberProblems.length > 0 || changed.length === 0}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        <button type="button" className="button ghost" disabled={changed.length === 0 && Object.keys(numberText).length === 0} onClick={() => {
            setDraft(saved);
            setNumberText({});
            setSaveError(null);
          }}>
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

/** A number box that keeps what is typed: an empty or out-of-range value is shown as a problem, never saved as 0. */
function NumberInput({ field, value, step, problem, onChange, testId }: { field: NumberField; value: string; step: number; problem: string | null; onChange: (field: NumberField, text: string) => void; testId?: string }) {
  const id = `number-${field}`;
  return (
    <>
      <input
        type="number"
        inputMode="decimal"
        step={step}
        value={value}
        onChange={(event) => onChange(field, event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        className={problem ? 'invalid' : undefined}
        data-testid={testId ?? id}
      />
      {problem && (
        <small id={`${id}-problem`} className="field-problem" data-testid={`${id}-problem`}>
          {problem}
        </small>
      )}
    </>
  );
}
