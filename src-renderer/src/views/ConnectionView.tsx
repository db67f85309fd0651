import { useState } from 'react';
import type { AppState, ConnectionStatus, SelfTestView } from '../../../src-main/core/api/contract';
import { useApi, useAppState } from '../api/hooks';
import { ErrorNotice } from '../errors/ErrorNotice';
import type { ErrorLike } from '../errors/plain-errors';
import { LeavePractice } from '../components/LeavePractice';
import { formatDateTime } from '../format';

const MODE_LABELS: Record<ConnectionStatus['mode'], string> = {
  tunnel: 'Built-in tunnel (ngrok)',
  'own-url': 'Your own public address',
  polling: 'Checked with Twilio: Reminder Desk asks Twilio for each call’s status',
  simulator: 'Practice simulator (no real calls)',
};

const TUNNEL_LABELS: Record<NonNullable<ConnectionStatus['tunnel']>['state'], string> = {
  off: 'Off',
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  failed: 'Not working',
};

export function ConnectionView({ connection, onRefresh, onLeftPractice }: { connection: ConnectionStatus | null; onRefresh: () => void; onLeftPractice: (state: AppState) => void }) {
  const api = useApi();
  const { timezone, practiceMode } = useAppState();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<SelfTestView | null>(null);
  const [error, setError] = useState<ErrorLike | null>(null);

  async function selfTest() {
    setTesting(true);
    setError(null);
    setResult(null);
    const outcome = await api.invoke('connection/self-test', {});
    setTesting(false);
    if (outcome.ok) setResult(outcome.value);
    else setError(outcome.error);
    onRefresh();
  }

  if (!connection) return <section className="panel">Checking the connection…</section>;

  return (
    <section className="panel connection" data-testid="connection-panel">
      <h1>Connection</h1>
      <p className="lead">{connection.summary}</p>
      <dl className="facts">
        <dt>How call updates arrive</dt>
        <dd data-testid="connection-mode">{MODE_LABELS[connection.mode]}</dd>
        {connection.mode === 'simulator' ? (
          <>
            <dt>Simulator address (this computer only)</dt>
            <dd className="mono" data-testid="simulator-address">{connection.publicUrl ?? '—'}</dd>
          </>
        ) : (
          <>
            <dt>Public address</dt>
            <dd className="mono">{connection.publicUrl ?? 'None (Twilio cannot reach this computer)'}</dd>
          </>
        )}
        {connection.tunnel && (
          <>
            <dt>Tunnel</dt>
            <dd>
              {TUNNEL_LABELS[connection.tunnel.state]}
              {connection.tunnel.error && (
                <span className="error-text block">
                  {connection.tunnel.error.title}. {connection.tunnel.error.fix}
                  {connection.tunnel.error.code ? ` (${connection.tunnel.error.code})` : ''}
                </span>
              )}
            </dd>
          </>
        )}
        <dt>Last call update received</dt>
        <dd data-testid="last-callback">{formatDateTime(connection.lastCallbackAt, timezone)}</dd>
        <dt>Refused updates (bad signature)</dt>
        <dd data-testid="rejected-count" className={connection.rejectedSignatures > 0 ? 'error-text' : undefined}>
          {connection.rejectedSignatures}
          {connection.rejectedSignatures > 0 && practiceMode ? (
            <span className="block">Practice mode has no Twilio account: the simulator signs its own updates, so refused ones came from another program on this computer.</span>
          ) : (
            connection.rejectionReason && <span className="block">{connection.rejectionReason}</span>
          )}
        </dd>
      </dl>
      {connection.mode !== 'polling' && (
        <div className="button-row">
          <button type="button" className="button primary" disabled={testing} onClick={() => void selfTest()} data-testid="self-test">
            {testing ? 'Testing…' : 'Test call updates'}
          </button>
        </div>
      )}
      {result && (
        <div className={`result-box ${result.ok ? 'ok' : 'bad'}`} data-testid="self-test-result" role="status">
          <strong>{result.ok ? 'Call updates arrive.' : 'Call updates do not arrive yet.'}</strong> {result.message}
          {result.details.length > 0 && (
            <details className="error-details">
              <summary>Details</summary>
              <ul>
                {result.details.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      {error && <ErrorNotice error={error} variant="inline" />}
      {practiceMode && (
        <div className="practice-exit">
          <h2>Ready for real calls?</h2>
          <p>Practice mode never calls anyone. Connect your clinic’s Twilio account to send real reminders.</p>
          <LeavePractice onLeft={onLeftPractice} />
        </div>
      )}
    </section>
  );
}
