import { useCallback, useEffect, useState } from 'react';
import type { DoNotCallView as Entry } from '../../../src-main/core/api/contract';
import { useApi, useApiEvent, useAppState } from '../api/hooks';
import { formatDateTime } from '../format';

const SOURCE_LABELS: Record<Entry['source'], string> = {
  keypad: 'Pressed 9 on a reminder call',
  staff: 'Added by staff',
  import: 'Imported list',
};

/** Numbers no batch, scheduler or retry ever calls: those that pressed 9, and those staff add here. */
export function DoNotCallView() {
  const api = useApi();
  const { timezone } = useAppState();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    void api.invoke('do-not-call/list', {}).then((result) => (result.ok ? setEntries(result.value) : setError(result.error.message)));
  }, [api]);
  useEffect(load, [load]);
  useApiEvent('appointments-changed', load); // a patient may just have pressed 9

  async function add() {
    setError(null);
    const result = await api.invoke('do-not-call/add', { number, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    if (!result.ok) return setError(result.error.message);
    setEntries(result.value);
    setNumber('');
    setReason('');
  }

  async function remove(phoneNumber: string) {
    setError(null);
    const result = await api.invoke('do-not-call/remove', { phoneNumber });
    if (result.ok) setEntries(result.value);
    else setError(result.error.message);
  }

  return (
    <section className="panel" data-testid="do-not-call">
      <h1>Do not call</h1>
      <p className="muted">
        These numbers are never called by any batch, automatic reminder or retry; their appointments show as skipped with the reason “do-not-call
        list”. Patients who press 9 on a reminder are added here.
      </p>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <label className="field">
          <span>Phone number</span>
          <input type="tel" value={number} onChange={(event) => setNumber(event.target.value)} placeholder="(212) 555-0100" data-testid="dnc-number" required />
        </label>
        <label className="field grow">
          <span>Reason (optional)</span>
          <input type="text" value={reason} maxLength={200} onChange={(event) => setReason(event.target.value)} placeholder="Asked at the front desk" />
        </label>
        <button type="submit" className="button primary" disabled={number.trim().length < 3} data-testid="dnc-add">
          Add number
        </button>
      </form>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && <p className="empty">No numbers on the list.</p>}
      {entries && entries.length > 0 && (
        <div className="table-scroll">
          <table className="simple-table" data-testid="dnc-table">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">How it got here</th>
                <th scope="col">Reason</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.phoneNumber} data-testid="dnc-row">
                  <td className="mono">{entry.phoneNumber}</td>
                  <td>{SOURCE_LABELS[entry.source]}</td>
                  <td>{entry.reason ?? '—'}</td>
                  <td>{formatDateTime(entry.addedAt, timezone)}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void remove(entry.phoneNumber)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
