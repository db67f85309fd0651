import { useRef, useState } from 'react';
import type { AppState, CallSummary, ConnectionStatus, SelfTestView } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState } from '../api/hooks';
import { PracticeSample } from '../components/PracticeSample';
import { StatusChip } from '../components/StatusChip';

type Step = 'welcome' | 'twilio' | 'number' | 'callbacks' | 'test-call';

interface Props {
  onDone: (state: AppState) => void;
  onStateChange: (state: AppState) => void;
}

export function SetupWizard({ onDone, onStateChange }: Props) {
  const api = useApi();
  const appState = useAppState();
  const [step, setStep] = useState<Step>(appState.practiceMode ? 'test-call' : 'welcome');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [accountSid, setAccountSid] = useState('');
  const [authToken, setAuthToken] = useState('');
  const [account, setAccount] = useState<{ friendlyName: string; numbers: { phoneNumber: string; friendlyName: string }[] } | null>(null);
  const [fromNumber, setFromNumber] = useState('');

  async function run<T>(action: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>, then: (value: T) => void) {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (result.ok) then(result.value);
    else setError(result.error.message);
  }

  const finish = () => run(() => api.invoke('setup/complete', {}), onDone);

  return (
    <main className="wizard" data-testid="setup-wizard">
      <h1>Set up Reminder Desk</h1>
      <ol className="wizard-steps" aria-label="Setup steps">
        {(appState.practiceMode ? ['Practice call'] : ['Twilio account', 'Caller number', 'Call updates', 'Test call']).map((label, index) => (
          <li key={label} className={stepIndex(step, appState.practiceMode) === index ? 'current' : undefined}>
            {label}
          </li>
        ))}
      </ol>

      {step === 'welcome' && (
        <section className="panel wizard-panel">
          <h2>How do you want to start?</h2>
          <div className="choice-grid">
            <button type="button" className="choice" onClick={() => setStep('twilio')}>
              <strong>Connect my Twilio account</strong>
              <span>Place real reminder calls. You need your Account SID and Auth Token from the Twilio Console.</span>
            </button>
            <button
              type="button"
              className="choice practice"
              data-testid="start-practice"
              disabled={busy}
              onClick={() =>
                void run(
                  () => api.invoke('setup/start-practice', {}),
                  (state) => {
                    onStateChange(state);
                    setStep('test-call');
                  },
                )
              }
            >
              <strong>Try practice mode (no Twilio account)</strong>
              <span>Everything works, but calls are simulated: no phone rings and no patient is contacted.</span>
            </button>
          </div>
        </section>
      )}

      {step === 'twilio' && (
        <form
          className="panel wizard-panel"
          onSubmit={(event) => {
            event.preventDefault();
            void run(
              () => api.invoke('setup/check-twilio', { accountSid: accountSid.trim(), authToken: authToken.trim() }),
              (value) => {
                setAccount(value);
                setFromNumber(value.numbers[0]?.phoneNumber ?? '');
                setStep('number');
              },
            );
          }}
        >
          <h2>Your Twilio account</h2>
          <p>Find these on the front page of the Twilio Console (console.twilio.com), under “Account Info”.</p>
          <label className="field">
            <span>Account SID</span>
            <input value={accountSid} onChange={(event) => setAccountSid(event.target.value)} placeholder="AC…" autoComplete="off" spellCheck={false} required />
          </label>
          <label className="field">
            <span>Auth Token</span>
            <input type="password" value={authToken} onChange={(event) => setAuthToken(event.target.value)} autoComplete="off" required />
            <small>Kept in this computer’s secure storage, never in a settings file.</small>
          </label>
          <WizardButtons busy={busy} onBack={() => setStep('welcome')} next="Check account" />
        </form>
      )}

      {step === 'number' && account && (
        <form
          className="panel wizard-panel"
          onSubmit={(event) => {
            event.preventDefault();
            void run(
              () => api.invoke('setup/save-twilio', { accountSid: accountSid.trim(), authToken: authToken.trim(), fromNumber }),
              (state) => {
                onStateChange(state);
                setAuthToken('');
                setStep('callbacks');
              },
            );
          }}
        >
          <h2>Which number should patients see?</h2>
          <p>Connected to “{account.friendlyName}”.</p>
          {account.numbers.length === 0 ? (
            <p className="warning-text">This account has no phone numbers yet. Buy one in the Twilio Console (Phone Numbers → Buy a number), then check again.</p>
          ) : (
            <div className="radio-list" role="radiogroup" aria-label="Caller number">
              {account.numbers.map((n) => (
                <label key={n.phoneNumber} className="radio">
                  <input type="radio" name="from" value={n.phoneNumber} checked={fromNumber === n.phoneNumber} onChange={() => setFromNumber(n.phoneNumber)} />
                  <span>
                    <strong>{n.phoneNumber}</strong> {n.friendlyName !== n.phoneNumber ? n.friendlyName : ''}
                  </span>
                </label>
              ))}
            </div>
          )}
          <WizardButtons busy={busy || !fromNumber} onBack={() => setStep('twilio')} next="Use this number" />
        </form>
      )}

      {step === 'callbacks' && <CallbacksStep onBack={() => setStep('number')} onNext={() => setStep('test-call')} />}

      {step === 'test-call' && <TestCallStep practice={appState.practiceMode} onFinish={() => void finish()} finishing={busy} />}

      {error && (
        <p className="error-banner" role="alert" data-testid="wizard-error">
          {error}
        </p>
      )}
    </main>
  );
}

function stepIndex(step: Step, practice: boolean): number {
  if (practice) return 0;
  return { welcome: -1, twilio: 0, number: 1, callbacks: 2, 'test-call': 3 }[step];
}

function WizardButtons({ busy, onBack, next }: { busy: boolean; onBack: () => void; next: string }) {
  return (
    <div className="button-row">
      <button type="button" className="button ghost" onClick={onBack}>
        Back
      </button>
      <button type="submit" className="button primary" disabled={busy}>
        {next}
      </button>
    </div>
  );
}

function CallbacksStep({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const api = useApi();
  const [mode, setMode] = useState<'tunnel' | 'own-url' | 'polling'>('tunnel');
  const [ngrokAuthtoken, setNgrokAuthtoken] = useState('');
  const [domain, setDomain] = useState('');
  const [ownUrl, setOwnUrl] = useState('');
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  const [test, setTest] = useState<SelfTestView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function apply() {
    setBusy(true);
    setError(null);
    setTest(null);
    const args =
      mode === 'tunnel'
        ? { mode, ...(ngrokAuthtoken.trim() ? { ngrokAuthtoken: ngrokAuthtoken.trim() } : {}), domain: domain.trim() || null }
        : mode === 'own-url'
          ? { mode, statusCallbackUrl: ownUrl.trim() }
          : { mode };
    const configured = await api.invoke('setup/configure-callbacks', args);
    if (!configured.ok) {
      setBusy(false);
      return setError(configured.error.message);
    }
    setStatus(configured.value);
    if (mode !== 'polling') {
      const checked = await api.invoke('connection/self-test', {});
      if (checked.ok) setTest(checked.value);
      else setError(checked.error.message);
    }
    setBusy(false);
  }

  const ready = status !== null && (mode === 'polling' || test?.ok === true);

  return (
    <form
      className="panel wizard-panel"
      onSubmit={(event) => {
        event.preventDefault();
        void apply();
      }}
    >
      <h2>How should call updates reach this computer?</h2>
      <p>Twilio tells Reminder Desk when a call rings, is answered or ends. Choose how those updates get here.</p>
      <div className="radio-list" role="radiogroup" aria-label="Callback mode">
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'tunnel'} onChange={() => setMode('tunnel')} />
          <span>
            <strong>Built-in tunnel (recommended)</strong> Uses a free ngrok account; nothing to install.
          </span>
        </label>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'own-url'} onChange={() => setMode('own-url')} />
          <span>
            <strong>My own public address</strong> Your IT team already forwards a web address to this computer.
          </span>
        </label>
        <label className="radio">
          <input type="radio" name="mode" checked={mode === 'polling'} onChange={() => setMode('polling')} />
          <span>
            <strong>No callbacks</strong> Reminder Desk asks Twilio about each call instead. Works everywhere, updates arrive a little later.
          </span>
        </label>
      </div>
      {mode === 'tunnel' && (
        <>
          <label className="field">
            <span>ngrok authtoken</span>
            <input type="password" value={ngrokAuthtoken} onChange={(event) => setNgrokAuthtoken(event.target.value)} autoComplete="off" placeholder="Leave empty to keep the saved one" />
            <small>From dashboard.ngrok.com → Your Authtoken.</small>
          </label>
          <label className="field">
            <span>Static domain (optional)</span>
            <input value={domain} onChange={(event) => setDomain(event.target.value)} placeholder="my-clinic.ngrok-free.app" spellCheck={false} />
          </label>
        </>
      )}
      {mode === 'own-url' && (
        <label className="field">
          <span>Status callback address</span>
          <input type="url" value={ownUrl} onChange={(event) => setOwnUrl(event.target.value)} placeholder="https://reminders.my-clinic.example/status" required />
        </label>
      )}
      {status && <p className="muted">{status.summary}</p>}
      {test && (
        <div className={`result-box ${test.ok ? 'ok' : 'bad'}`} role="status">
          <strong>{test.ok ? 'Call updates arrive.' : 'Call updates do not arrive yet.'}</strong> {test.message}
          {test.details.length > 0 && (
            <ul>
              {test.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && <p className="error-banner" role="alert">{error}</p>}
      <div className="button-row">
        <button type="button" className="button ghost" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Checking…' : status ? 'Check again' : 'Set up and check'}
        </button>
        <button type="button" className="button primary" disabled={!ready} onClick={onNext}>
          Next
        </button>
      </div>
    </form>
  );
}

const TEST_CALL_STAGES: { key: string; label: string; reached: (statuses: Set<string>) => boolean }[] = [
  { key: 'initiated', label: 'Call started', reached: (s) => ['queued', 'initiated', 'ringing', 'in-progress', 'completed'].some((x) => s.has(x)) },
  { key: 'ringing', label: 'Ringing', reached: (s) => ['ringing', 'in-progress', 'completed'].some((x) => s.has(x)) },
  { key: 'answered', label: 'Answered', reached: (s) => s.has('in-progress') || s.has('answered') },
  { key: 'completed', label: 'Finished', reached: (s) => ['completed', 'busy', 'no-answer', 'failed', 'canceled'].some((x) => s.has(x)) },
];

function TestCallStep({ practice, onFinish, finishing }: { practice: boolean; onFinish: () => void; finishing: boolean }) {
  const api = useApi();
  const [to, setTo] = useState(practice ? '+12125550100' : '');
  const [attemptId, setAttemptId] = useState<number | null>(null);
  const [call, setCall] = useState<CallSummary | null>(null);
  const [seen, setSeen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [calling, setCalling] = useState(false);
  // Events can arrive before `setup/test-call` answers with the attempt id: keep them until it does.
  const early = useRef<CallSummary[]>([]);
  const waitingForId = useRef(false);
  // The attempt being watched, read by the event listener at once (state would lag a render behind "Call again").
  const watching = useRef<number | null>(null);

  const record = (summary: CallSummary) => {
    setCall(summary);
    setSeen((current) => new Set(current).add(summary.status).add(summary.answered ? 'answered' : ''));
  };

  useApiEvent('call-updated', ({ call: update }) => {
    if (watching.current !== null) {
      if (update.attemptId === watching.current) record(update);
    } else if (waitingForId.current) early.current.push(update);
  });

  async function placeCall() {
    setError(null);
    setCalling(true);
    setCall(null);
    setSeen(new Set());
    // "Call again": stop following the previous call, or the new call's updates would be dropped as not ours.
    watching.current = null;
    setAttemptId(null);
    early.current = [];
    waitingForId.current = true;
    const result = await api.invoke('setup/test-call', { to: to.trim() });
    waitingForId.current = false;
    setCalling(false);
    if (!result.ok) return setError(result.error.message);
    watching.current = result.value.attemptId;
    setAttemptId(result.value.attemptId);
    for (const update of early.current) if (update.attemptId === result.value.attemptId) record(update);
    early.current = [];
  }

  const finished = call?.isFinal === true;

  return (
    <section className="panel wizard-panel" data-testid="test-call-step">
      <h2>{practice ? 'Watch a practice call' : 'Call your own phone'}</h2>
      <p>
        {practice
          ? 'This simulated call shows how each call’s progress appears live on your screen. No phone will ring.'
          : 'Enter your own mobile number. Answer it to hear the reminder exactly as a patient will.'}
      </p>
      <div className="inline-form">
        <label className="field grow">
          <span>Phone number</span>
          <input type="tel" value={to} onChange={(event) => setTo(event.target.value)} placeholder="+1 212 555 0100" data-testid="test-call-number" />
        </label>
        <button type="button" className="button primary" disabled={calling || !to.trim()} onClick={() => void placeCall()} data-testid="test-call-button">
          {calling ? 'Calling…' : attemptId ? 'Call again' : 'Place test call'}
        </button>
      </div>
      {attemptId !== null && (
        <div className="test-call-progress" data-testid="test-call-progress" data-attempt={attemptId}>
          <ol className="stages">
            {TEST_CALL_STAGES.map((stage) => (
              <li key={stage.key} className={stage.reached(seen) ? 'reached' : undefined} data-testid={`stage-${stage.key}`} data-reached={String(stage.reached(seen))}>
                {stage.label}
              </li>
            ))}
          </ol>
          <p>
            Now: <StatusChip call={call} testId="test-call-status" />
          </p>
          {call?.errorMessage && <p className="error-text">{call.errorMessage}</p>}
        </div>
      )}
      {error && <p className="error-banner" role="alert">{error}</p>}
      {practice && <PracticeSample />}
      <div className="button-row">
        <button type="button" className="button primary" onClick={onFinish} disabled={finishing} data-testid="finish-setup">
          {finished || practice ? 'Finish and open the appointment board' : 'Skip the test call and finish'}
        </button>
      </div>
    </section>
  );
}
