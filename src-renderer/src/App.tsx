import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppState, ConnectionStatus, Envelope } from '../../src-main/core/api/contract';
import type { DeskClient } from './api/client';
import { ApiContext, AppStateContext } from './api/hooks';
import { EventBridge } from './components/EventBridge';
import { AppointmentsView } from './views/AppointmentsView';
import { BatchesView } from './views/BatchesView';
import { DoNotCallView } from './views/DoNotCallView';
import { AutomaticSwitch } from './components/AutomaticSwitch';
import { ConnectionView } from './views/ConnectionView';
import { SettingsView } from './views/SettingsView';
import { SetupWizard } from './views/SetupWizard';

type ViewName = 'appointments' | 'batches' | 'do-not-call' | 'connection' | 'settings';

const NAV: { view: ViewName; label: string }[] = [
  { view: 'appointments', label: 'Appointments' },
  { view: 'batches', label: 'Reminder batches' },
  { view: 'do-not-call', label: 'Do not call' },
  { view: 'connection', label: 'Connection' },
  { view: 'settings', label: 'Settings' },
];

/**
 * Refused callbacks. `acknowledged` is the count already known when this window first asked (those are on the
 * Connection screen) or when staff dismissed the banner; null until that first answer, so nothing is hidden by a
 * late reply. Totals only ever grow, whichever of push, resync or refresh reports them first.
 */
interface Rejections {
  count: number;
  acknowledged: number | null;
  reason: string | null;
}

export function App({ api }: { api: DeskClient }) {
  const [appState, setAppState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [view, setView] = useState<ViewName>('appointments');
  const [focusBatchId, setFocusBatchId] = useState<string | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus | null>(null);
  const [rejections, setRejections] = useState<Rejections>({ count: 0, acknowledged: null, reason: null });

  const noteRejections = useCallback((total: number, reason: string | null, baseline = false) => {
    setRejections((r) => ({
      count: Math.max(r.count, total),
      acknowledged: baseline && r.acknowledged === null ? total : r.acknowledged,
      reason: reason ?? r.reason,
    }));
  }, []);

  const applyState = useCallback((result: Envelope<AppState>) => {
    if (!result.ok) return setLoadError(result.error.message);
    setLoadError(null);
    setAppState(result.value);
    if (!result.value.setupComplete) setWizardOpen(true);
  }, []);
  const loadState = useCallback(() => void api.invoke('app/get-state', {}).then(applyState), [api, applyState]);

  // Connection statuses arrive by push and by fetch; a fetch answered after a newer push must not undo it.
  const connectionSeq = useRef(0);
  const appliedSeq = useRef(0);
  const applyConnection = useCallback(
    (status: ConnectionStatus, baseline = false, seq = ++connectionSeq.current) => {
      // Rejection counts only grow, so every answer may raise them (and the first fetch sets the banner's baseline)...
      noteRejections(status.rejectedSignatures, status.rejectionReason, baseline);
      // ...but the panel shows the newest status only.
      if (seq < appliedSeq.current) return;
      appliedSeq.current = seq;
      setConnection(status);
    },
    [noteRejections],
  );
  const loadConnection = useCallback(
    (baseline = false) => {
      const seq = ++connectionSeq.current;
      void api.invoke('connection/status', {}).then((result) => result.ok && applyConnection(result.value, baseline, seq));
    },
    [api, applyConnection],
  );

  useEffect(() => {
    void api.invoke('app/get-state', {}).then(applyState);
    // Rejections from before this window opened are on the Connection screen; the banner is for new ones.
    loadConnection(true);
  }, [api, applyState, loadConnection]);

  // A refusal pushed while the event stream was down is caught up here: the count can only have grown.
  useEffect(() => api.onResync(() => loadConnection()), [api, loadConnection]);

  const leftPractice = (state: AppState) => {
    applyState({ ok: true, value: state });
    loadConnection();
  };

  const openBatch = (batchId: string) => {
    setFocusBatchId(batchId);
    setView('batches');
  };

  if (loadError) {
    return (
      <main className="fatal" role="alert">
        <h1>Reminder Desk could not start</h1>
        <p>{loadError}</p>
        <button type="button" className="button primary" onClick={() => loadState()}>
          Try again
        </button>
      </main>
    );
  }
  if (!appState) return <main className="loading">Opening Reminder Desk…</main>;

  const newRejections = rejections.acknowledged === null ? 0 : rejections.count - rejections.acknowledged;

  return (
    <ApiContext.Provider value={api}>
      <AppStateContext.Provider value={appState}>
        <EventBridge
          onConnection={(status) => applyConnection(status)}
          // The engine follows every refusal with a connection-changed push, which updates the Connection screen.
          onRejected={({ count, reason }) => noteRejections(count, reason)}
        />
        <div className="app">
          {appState.practiceMode && (
            <div className="simulated-banner" data-testid="simulated-banner" role="status">
              <strong>SIMULATED</strong> Practice mode: no real phone calls are made and no patient is contacted.
            </div>
          )}
          {appState.secretProblem && !wizardOpen && (
            // The saved token was unreadable on this launch (keyring gone, Windows profile moved): nothing is sent
            // to Twilio until staff enter it again.
            <div className="alert-banner" data-testid="secret-problem" role="alert">
              <div>
                <strong>Calls can't be placed: {appState.secretProblem}.</strong>
              </div>
              <div className="alert-actions">
                <button type="button" className="button" onClick={() => setWizardOpen(true)} data-testid="reenter-secret">
                  Enter it again
                </button>
              </div>
            </div>
          )}
          {newRejections > 0 && (
            <div className="alert-banner" data-testid="callback-rejected-alert" role="alert">
              <div>
                <strong>
                  {newRejections === 1 ? '1 call status update was refused' : `${newRejections} call status updates were refused`} because it did not prove it came from Twilio.
                </strong>
                {appState.practiceMode ? (
                  <p data-testid="rejection-advice">
                    In practice mode only the built-in simulator sends call updates, and it signs them itself, so this one came from another program on this computer. Your practice calls are not affected.
                  </p>
                ) : (
                  <p data-testid="rejection-advice">{rejections.reason ?? 'The signature on the update did not match.'} Calls may look stuck until this is fixed.</p>
                )}
              </div>
              <div className="alert-actions">
                <button type="button" className="button" onClick={() => setView('connection')}>
                  Open Connection
                </button>
                <button type="button" className="button ghost" onClick={() => setRejections((r) => ({ ...r, acknowledged: r.count }))}>
                  Dismiss
                </button>
              </div>
            </div>
          )}
          {wizardOpen ? (
            <div className="wizard-scroll">
              <SetupWizard
                onDone={(state) => {
                  setAppState(state);
                  setWizardOpen(false);
                  loadConnection();
                }}
                onStateChange={setAppState}
              />
            </div>
          ) : (
            <>
              <header className="top-bar">
                <div className="brand">Reminder Desk</div>
                <nav aria-label="Main">
                  {NAV.map((item) => (
                    <button
                      key={item.view}
                      type="button"
                      className={`nav-tab${view === item.view ? ' active' : ''}`}
                      aria-current={view === item.view ? 'page' : undefined}
                      onClick={() => setView(item.view)}
                    >
                      {item.label}
                    </button>
                  ))}
                </nav>
                <div className="connection-pill" data-testid="connection-summary" title={connection?.summary}>
                  {connection?.summary ?? 'Checking connection…'}
                </div>
              </header>
              <AutomaticSwitch />
              <main className="content">
                {view === 'appointments' && <AppointmentsView onOpenBatch={openBatch} />}
                {view === 'batches' && <BatchesView focusBatchId={focusBatchId} />}
                {view === 'do-not-call' && <DoNotCallView />}
                {view === 'connection' && <ConnectionView connection={connection} onRefresh={() => loadConnection()} onLeftPractice={leftPractice} />}
                {view === 'settings' && <SettingsView onLeftPractice={leftPractice} />}
              </main>
            </>
          )}
        </div>
      </AppStateContext.Provider>
    </ApiContext.Provider>
  );
}
