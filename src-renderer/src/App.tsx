import { useCallback, useEffect, useState } from 'react';
import type { ApiClient, AppState, ConnectionStatus, Envelope } from '../../src-main/core/api/contract';
import { ApiContext, AppStateContext } from './api/hooks';
import { EventBridge } from './components/EventBridge';
import { AppointmentsView } from './views/AppointmentsView';
import { BatchesView } from './views/BatchesView';
import { ConnectionView } from './views/ConnectionView';
import { SettingsView } from './views/SettingsView';
import { SetupWizard } from './views/SetupWizard';

type ViewName = 'appointments' | 'batches' | 'connection' | 'settings';

const NAV: { view: ViewName; label: string }[] = [
  { view: 'appointments', label: 'Appointments' },
  { view: 'batches', label: 'Reminder batches' },
  { view: 'connection', label: 'Connection' },
  { view: 'settings', label: 'Settings' },
];

export function App({ api }: { api: ApiClient }) {
  const [appState, setAppState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [wizardOpen, setWizardOpen] = useState(false);
  const [view, setView] = useState<ViewName>('appointments');
  const [focusBatchId, setFocusBatchId] = useState<string | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus | null>(null);
  const [rejections, setRejections] = useState<{ count: number; acknowledged: number; reason: string | null }>({ count: 0, acknowledged: 0, reason: null });

  const applyState = useCallback((result: Envelope<AppState>) => {
    if (!result.ok) return setLoadError(result.error.message);
    setLoadError(null);
    setAppState(result.value);
    if (!result.value.setupComplete) setWizardOpen(true);
  }, []);
  const loadState = useCallback(() => void api.invoke('app/get-state', {}).then(applyState), [api, applyState]);

  const applyConnection = useCallback((result: Envelope<ConnectionStatus>) => {
    if (!result.ok) return;
    setConnection(result.value);
    // Rejections from before this window opened are on the Connection screen; the banner is for new ones.
    setRejections((r) => (r.count === 0 ? { count: result.value.rejectedSignatures, acknowledged: result.value.rejectedSignatures, reason: result.value.rejectionReason } : r));
  }, []);
  const loadConnection = useCallback(() => void api.invoke('connection/status', {}).then(applyConnection), [api, applyConnection]);

  useEffect(() => {
    void api.invoke('app/get-state', {}).then(applyState);
    void api.invoke('connection/status', {}).then(applyConnection);
  }, [api, applyState, applyConnection]);

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

  const newRejections = rejections.count - rejections.acknowledged;

  return (
    <ApiContext.Provider value={api}>
      <AppStateContext.Provider value={appState}>
        <EventBridge
          onConnection={setConnection}
          onRejected={({ count, reason }) => setRejections((r) => ({ ...r, count: Math.max(r.count, count), reason: reason ?? r.reason }))}
        />
        <div className="app">
          {appState.practiceMode && (
            <div className="simulated-banner" data-testid="simulated-banner" role="status">
              <strong>SIMULATED</strong> Practice mode: no real phone calls are made and no patient is contacted.
            </div>
          )}
          {newRejections > 0 && (
            <div className="alert-banner" data-testid="callback-rejected-alert" role="alert">
              <div>
                <strong>
                  {newRejections === 1 ? '1 call status update was refused' : `${newRejections} call status updates were refused`} because it did not prove it came from Twilio.
                </strong>
                <p>{rejections.reason ?? 'The signature on the update did not match.'} Calls may look stuck until this is fixed.</p>
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
              <main className="content">
                {view === 'appointments' && <AppointmentsView onOpenBatch={openBatch} />}
                {view === 'batches' && <BatchesView focusBatchId={focusBatchId} />}
                {view === 'connection' && <ConnectionView connection={connection} onRefresh={() => loadConnection()} />}
                {view === 'settings' && <SettingsView />}
              </main>
            </>
          )}
        </div>
      </AppStateContext.Provider>
    </ApiContext.Provider>
  );
}
